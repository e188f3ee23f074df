namespace Cluster.Training.Data.Loading;

/// <summary>
/// Decides the order a loader reads an epoch in, in place of its <see cref="DefaultSampler"/>: the cluster's dataset
/// shard grain hands it out so a restarted worker reads exactly what the lost one would have. It must return
/// <see cref="DefaultSampler.Count"/> dataset indices; the sampler is passed for its settings (size, seed, shard).
/// </summary>
public interface IEpochOrderProvider
{
    /// <param name="epoch">0-based, as MMEngine's sampler.set_epoch.</param>
    int[] EpochIndices(DefaultSampler sampler, int epoch);
}
