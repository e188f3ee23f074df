using Cluster.Abstractions.Data;

namespace Cluster.Grains.Workers;

/// <summary>Where a checkpoint stands in a worker's shard: how many samples of which (1-based) epoch it consumed.</summary>
internal static class ShardPosition
{
    /// <param name="completedEpochs">The checkpoint's epoch (epochs fully trained).</param>
    /// <param name="iteration">The checkpoint's global iteration.</param>
    /// <returns>Null for a checkpoint before any training.</returns>
    public static ShardConsumption? Consumed(int completedEpochs, long iteration, int itersPerEpoch, int batchSize, int samplesPerEpoch)
    {
        long intoNextEpoch = iteration - (long)completedEpochs * itersPerEpoch;
        if (intoNextEpoch <= 0)
            return completedEpochs == 0 ? null : new ShardConsumption(completedEpochs, samplesPerEpoch);
        return new ShardConsumption(completedEpochs + 1, (int)Math.Min(intoNextEpoch * batchSize, samplesPerEpoch));
    }

    /// <summary>The (1-based epoch, sample) a run resumed after <paramref name="consumed"/> reads next.</summary>
    public static (int Epoch, int Sample) Next(ShardConsumption? consumed, int samplesPerEpoch) => consumed switch
    {
        null => (1, 0),
        { Samples: var samples } when samples >= samplesPerEpoch => (consumed.Epoch + 1, 0),
        _ => (consumed.Epoch, consumed.Samples),
    };
}
