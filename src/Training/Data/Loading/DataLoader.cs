using Cluster.Training.Data.Datasets;

namespace Cluster.Training.Data.Loading;

/// <summary>
/// Batches of a dataset in sampler order, loaded on worker threads. Every sample's randomness comes from
/// (seed, epoch, dataset index), so an epoch's batches are identical for a seed whatever the worker count or timing.
/// Build one with <see cref="DataLoaderFactory"/>.
/// </summary>
public sealed class DataLoader : IDisposable
{
    private readonly DefaultSampler sampler;
    private readonly IEpochOrderProvider? order;
    private readonly BatchCollator collator;
    private readonly int numWorkers;
    private readonly int prefetchFactor;
    private readonly bool dropLast;
    private readonly HashSet<EpochRun> activeRuns = [];
    private bool disposed;

    internal DataLoader(
        ActionDataset dataset, DefaultSampler sampler, BatchCollator collator,
        int batchSize, int numWorkers, int prefetchFactor, bool dropLast, int seed, IEpochOrderProvider? order = null)
    {
        if (batchSize < 1)
            throw new ArgumentException($"batch_size must be positive, got {batchSize}");
        if (numWorkers < 0)
            throw new ArgumentException($"num_workers must not be negative, got {numWorkers}");
        Dataset = dataset;
        this.sampler = sampler;
        this.order = order;
        this.collator = collator;
        BatchSize = batchSize;
        this.numWorkers = numWorkers;
        this.prefetchFactor = prefetchFactor;
        this.dropLast = dropLast;
        Seed = seed;
    }

    public ActionDataset Dataset { get; }
    public int BatchSize { get; }
    public int Seed { get; }

    /// <summary>Samples this loader (its shard) reads per epoch.</summary>
    public int SamplesPerEpoch => sampler.Count;

    public int BatchesPerEpoch => BatchesFor(SamplesPerEpoch, BatchSize, dropLast);

    /// <summary>Batches an epoch of <paramref name="samples"/> makes (the last one partial unless dropped).</summary>
    public static int BatchesFor(int samples, int batchSize, bool dropLast) =>
        dropLast ? samples / batchSize : (samples + batchSize - 1) / batchSize;

    /// <summary>Invalid samples replaced so far (datasets with <c>skip_invalid</c>).</summary>
    public long SkippedSamples => Dataset.SkippedSamples;

    /// <summary>The dataset indices this loader reads in <paramref name="epoch"/>, in order.</summary>
    public int[] EpochIndices(int epoch) => order is null ? sampler.EpochIndices(epoch) : Checked(order.EpochIndices(sampler, epoch), epoch);

    /// <summary>
    /// The batches of <paramref name="epoch"/> from batch <paramref name="startBatch"/> on (to resume mid-epoch).
    /// Loading starts at the first MoveNext; breaking out of the loop stops the workers. The caller disposes each batch.
    /// </summary>
    public IEnumerable<Batch> ReadEpoch(int epoch, int startBatch = 0)
    {
        if (startBatch < 0 || startBatch > BatchesPerEpoch)
            throw new ArgumentOutOfRangeException(nameof(startBatch), $"start batch {startBatch} outside 0..{BatchesPerEpoch}");
        return Read(epoch, startBatch);
    }

    private IEnumerable<Batch> Read(int epoch, int startBatch)
    {
        var indices = EpochIndices(epoch);
        var run = StartRun(batch => BuildBatch(indices, batch, epoch), startBatch);
        try
        {
            for (int batch = startBatch; batch < BatchesPerEpoch; batch++)
                yield return run.Take(batch);
        }
        finally
        {
            lock (activeRuns)
                activeRuns.Remove(run);
            run.Dispose();
        }
    }

    /// <summary>An order from outside must fit the batches the loop was promised: the sampler's count, dataset indices.</summary>
    private int[] Checked(int[] indices, int epoch)
    {
        if (indices.Length != sampler.Count)
            throw new InvalidOperationException(
                $"epoch order for epoch {epoch} has {indices.Length} indices, the sampler reads {sampler.Count} per epoch");
        int outside = Array.FindIndex(indices, index => index < 0 || index >= Dataset.Count);
        if (outside >= 0)
            throw new InvalidOperationException(
                $"epoch order for epoch {epoch}: index {indices[outside]} is outside the dataset (0..{Dataset.Count - 1})");
        return indices;
    }

    private EpochRun StartRun(Func<int, Batch> buildBatch, int startBatch)
    {
        lock (activeRuns)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            var run = new EpochRun(buildBatch, startBatch, BatchesPerEpoch, numWorkers, prefetchFactor);
            activeRuns.Add(run);
            return run;
        }
    }

    private Batch BuildBatch(int[] epochIndices, int batch, int epoch)
    {
        int start = batch * BatchSize;
        int count = Math.Min(BatchSize, epochIndices.Length - start);
        var samples = new List<PackedSample>(count);
        try
        {
            for (int i = start; i < start + count; i++)
                samples.Add(Dataset.Load(epochIndices[i], Seed, epoch));
            return collator.Collate(samples);
        }
        finally
        {
            foreach (var sample in samples)
                sample.Dispose();
        }
    }

    public void Dispose()
    {
        EpochRun[] runs;
        lock (activeRuns)
        {
            disposed = true;
            runs = [.. activeRuns];
            activeRuns.Clear();
        }
        foreach (var run in runs)
            run.Dispose();
    }
}
