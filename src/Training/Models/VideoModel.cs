using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models;

/// <summary>
/// What the engine trains, evaluates and checkpoints (MMEngine's BaseModel): a recogniser or a spatio-temporal
/// detector. The engine only speaks in batches: <see cref="TrainingLoss"/> for a training step and
/// <see cref="Predict(Batch, Device)"/> at test time; parameter names are the checkpoint keys.
/// </summary>
public abstract class VideoModel(string name) : nn.Module(name)
{
    public abstract int NumClasses { get; }

    /// <summary>The scalar loss of one training batch (the batch is on the CPU; the model is on <paramref name="device"/>).</summary>
    public abstract Tensor TrainingLoss(Batch batch, Device device);

    /// <summary>Test-time scores, one row per sample (recognition) or per RoI of <see cref="Batch.Detection"/>
    /// (detection), on <paramref name="device"/>.</summary>
    public abstract Tensor Predict(Batch batch, Device device);

    /// <summary>
    /// The scored action detections of one detection batch, from the CPU <paramref name="scores"/> that
    /// <see cref="Predict(Batch, Device)"/> gave for it. Only detectors make them.
    /// </summary>
    public virtual IReadOnlyList<AvaDetection> Detections(Tensor scores, DetectionTargets targets) =>
        throw new InvalidOperationException(
            $"{GetType().Name} is not a detector: it cannot evaluate a detection batch (RoIs); use a detector model such as FastRCNN");
}
