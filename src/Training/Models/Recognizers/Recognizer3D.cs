using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Recognizers;

/// <summary>
/// MMAction2's Recognizer3D: [N, V, C, T, H, W] → [N·V, C, T, H, W] → backbone → head, one score row per view.
/// Training logits average the V views' logits; <see cref="Predict"/> combines them per average_clips.
/// </summary>
public sealed class Recognizer3D : BackboneHeadRecognizer
{
    public Recognizer3D(nn.Module<Tensor, Tensor> backbone, BaseHead clsHead, IReadOnlyList<InitConfig>? initCfg = null)
        : base(nameof(Recognizer3D), backbone, clsHead, initCfg)
    {
    }

    public override Tensor forward(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        var views = inputs.shape[1];
        var perView = ViewScores(inputs);
        return perView.view(-1, views, perView.shape[1]).mean([1]).MoveToOuterDisposeScope();
    }

    public override Tensor Predict(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return cls_head.AverageClip(ViewScores(inputs), inputs.shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>[N·V, K] scores, views of one sample adjacent.</summary>
    private Tensor ViewScores(Tensor inputs)
    {
        if (inputs.dim() != 6)
            throw new ArgumentException(
                $"Recognizer3D expects inputs [N, V, C, T, H, W], got [{string.Join(", ", inputs.shape)}]");
        var clips = inputs.reshape([-1, .. inputs.shape[2..]]);
        return cls_head.forward(backbone.forward(clips), 1);
    }
}
