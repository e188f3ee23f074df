using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Recognizers;

/// <summary>
/// MMAction2's Recognizer2D: [N, S, C, H, W] → [N·S, C, H, W] → backbone → head with num_segs = S. At test time all
/// V = clips × crops views are segments of one consensus, as MMAction2 does for TSN.
/// </summary>
public sealed class Recognizer2D : BackboneHeadRecognizer
{
    public Recognizer2D(nn.Module<Tensor, Tensor> backbone, BaseHead clsHead, IReadOnlyList<InitConfig>? initCfg = null)
        : base(nameof(Recognizer2D), backbone, clsHead, initCfg)
    {
    }

    public override Tensor forward(Tensor inputs)
    {
        if (inputs.dim() != 5)
            throw new ArgumentException($"Recognizer2D expects inputs [N, S, C, H, W], got [{string.Join(", ", inputs.shape)}]");
        using var scope = NewDisposeScope();
        var frames = inputs.reshape([-1, .. inputs.shape[2..]]);
        return cls_head.forward(backbone.forward(frames), inputs.shape[1]).MoveToOuterDisposeScope();
    }

    /// <summary>The consensus already covers every view, so average_clip sees one score row per sample.</summary>
    public override Tensor Predict(Tensor inputs)
    {
        using var scope = NewDisposeScope();
        return cls_head.AverageClip(forward(inputs), 1).MoveToOuterDisposeScope();
    }
}
