using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models;

/// <summary>
/// A video recogniser (MMAction2's Recognizer2D / Recognizer3D): backbone + classification head.
/// Inputs follow <see cref="Data.Batch.Inputs"/>: [N, V, C, H, W] (2D) or [N, V, C, T, H, W] (3D).
/// </summary>
public abstract class Recognizer(string name) : nn.Module<Tensor, Tensor>(name)
{
    public abstract int NumClasses { get; }

    /// <summary>Training forward: class scores (logits) [N, NumClasses].</summary>
    public abstract override Tensor forward(Tensor inputs);

    /// <summary>Loss of logits against labels (int64 [N] → cross-entropy; float [N, K] multi-hot → sigmoid BCE).</summary>
    public abstract Tensor Loss(Tensor logits, Tensor labels);

    /// <summary>Test-time scores [N, NumClasses] over all V views, combined per the head's <c>average_clips</c>
    /// (prob: softmax then mean; score: mean of logits; null: logits).</summary>
    public abstract Tensor Predict(Tensor inputs);
}
