using Cluster.Abstractions.Lfb;

namespace Cluster.Grains.Lfb;

/// <summary>
/// Computes one shard of a feature bank into a part file, on the calling (dedicated) thread: the config's model and
/// weights, the split's test pipeline over its proposals, one feature per person box per (video, second).
/// </summary>
public interface IBankShardComputer
{
    /// <param name="device">The engine's device string (<c>cpu</c>, <c>cuda:1</c>).</param>
    /// <param name="outputPath">Where the part is written, in <c>work.Dtype</c>.</param>
    /// <param name="progress">Features and keyframes done so far (called on this thread).</param>
    BankShardResult Compute(BankShardWork work, string device, string outputPath, Action<long, int> progress,
        CancellationToken cancellation);
}

/// <param name="Features">Person features (rows) written.</param>
/// <param name="Videos">Videos with at least one feature.</param>
public sealed record BankShardResult(long Features, int Videos);
