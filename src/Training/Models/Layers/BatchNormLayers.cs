using Cluster.Training.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Layers;

/// <summary>
/// PyTorch's BatchNorm with the same parameters, buffers and arithmetic as TorchSharp's, except how
/// <c>num_batches_tracked</c> is bumped. TorchSharp 0.107 does that with a temporary <see cref="Scalar"/> whose native
/// handle it passes on without keeping the object alive; when a GC runs at that moment the finalizer frees the handle
/// mid-call and training fails at random with "Unknown scalar type". One static Scalar, never finalised, avoids it on
/// the hottest path of every training step.
/// With a <see cref="SyncGroup"/> (set by <see cref="SyncBatchNormConverter"/>) training mode normalises with the
/// statistics of every rank's batch (<see cref="SyncBatchNorm"/>); eval mode is unchanged.
/// </summary>
public abstract class StableBatchNorm(long numFeatures, int inputDims, string name)
    : BatchNorm(numFeatures, eps: 1e-5, momentum: 0.1, affine: true, track_running_stats: true, device: null, dtype: null, name: name)
{
    private static readonly Scalar One = 1L.ToScalar();

    /// <summary>The group whose ranks share batch statistics in training mode; null = this rank's batch only.</summary>
    public IProcessGroup? SyncGroup { get; set; }

    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        double averagingFactor = momentum ?? 0.0;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(One, One);
            // Without a momentum PyTorch keeps a cumulative average of the batch statistics.
            if (momentum is null) averagingFactor = 1.0 / num_batches_tracked.item<long>();
        }
        if (training && SyncGroup is { WorldSize: > 1 } group)
            return SyncBatchNorm.Apply(input, weight, bias, running_mean, running_var, averagingFactor, eps, group);
        bool useBatchStatistics = training || running_mean is null;
        return nn.functional.batch_norm(input, running_mean, running_var, weight, bias, useBatchStatistics, averagingFactor, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.ndim != inputDims)
            throw new ArgumentException($"{GetType().Name} expects {inputDims}D input, got {input.ndim}D");
    }
}

/// <summary>Over [N, C, H, W].</summary>
public sealed class BatchNorm2d(long numFeatures) : StableBatchNorm(numFeatures, inputDims: 4, nameof(BatchNorm2d));

/// <summary>Over [N, C, T, H, W].</summary>
public sealed class BatchNorm3d(long numFeatures) : StableBatchNorm(numFeatures, inputDims: 5, nameof(BatchNorm3d));
