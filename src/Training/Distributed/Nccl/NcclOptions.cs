namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// How an <see cref="NcclProcessGroup"/> runs: the longest a collective (or forming the group) may take before the
/// group counts as broken (the config's <c>distributed.collective_timeout</c>), and the bucket size of grouped
/// all-reduce calls (<c>distributed.bucket_size_mb</c>).
/// </summary>
public sealed record NcclOptions(TimeSpan CollectiveTimeout, long BucketBytes)
{
    public static NcclOptions Default { get; } = new(TimeSpan.FromMinutes(5), 25L << 20);

    /// <summary>How often the watchdog asks NCCL for asynchronous errors and checks the deadline.</summary>
    public TimeSpan WatchdogInterval { get; init; } = TimeSpan.FromMilliseconds(100);
}
