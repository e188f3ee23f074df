using Cluster.Training.Data;
using static TorchSharp.torch;

namespace Cluster.Training.Models;

/// <summary>
/// A video recogniser (MMAction2's Recognizer2D / Recognizer3D): backbone + classification head.
/// Inputs follow <see cref="Batch.Inputs"/>: [N, V, C, H, W] (2D) or [N, V, C, T, H, W] (3D); labels
/// <see cref="Batch.Labels"/>.
/// </summary>
public abstract class Recognizer(string name) : VideoModel(name)
{
    /// <summary>Training forward: class scores (logits) [N, NumClasses].</summary>
    public abstract Tensor forward(Tensor inputs);

    /// <summary>Loss of logits against labels (int64 [N] → cross-entropy; float [N, K] multi-hot → sigmoid BCE).</summary>
    public abstract Tensor Loss(Tensor logits, Tensor labels);

    /// <summary>Test-time scores [N, NumClasses] over all V views, combined per the head's <c>average_clips</c>
    /// (prob: softmax then mean; score: mean of logits; null: logits).</summary>
    public abstract Tensor Predict(Tensor inputs);

    /// <summary>The head's loss of the training logits against <see cref="Batch.Labels"/>.</summary>
    public override Tensor TrainingLoss(Batch batch, Device device) =>
        Loss(forward(Recognition(batch).Inputs.to(device)), batch.Labels.to(device));

    /// <summary><see cref="Predict(Tensor)"/> of the batch's inputs: one score row per sample.</summary>
    public override Tensor Predict(Batch batch, Device device) => Predict(Recognition(batch).Inputs.to(device));

    private Batch Recognition(Batch batch) => batch.Detection is null
        ? batch
        : throw new ArgumentException(
            $"{GetType().Name} is a recogniser, not a detector: it cannot use a detection batch (RoIs); use a detector model such as FastRCNN");
}
