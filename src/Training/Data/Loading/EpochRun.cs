using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Cluster.Training.Data.Loading;

/// <summary>
/// Loads batches [first, end) of one epoch on worker threads, PyTorch-style: worker k builds batches
/// first + k, first + k + W, ... into its own bounded queue, and <see cref="Take"/> reads the queues round-robin,
/// so batches come out in sampler order whatever the thread timing. Disposing stops the workers and frees
/// batches not taken.
/// </summary>
internal sealed class EpochRun : IDisposable
{
    private readonly record struct Loaded(Batch? Batch, ExceptionDispatchInfo? Error);

    private readonly int firstBatch;
    private readonly BlockingCollection<Loaded>[] queues;
    private readonly Thread[] workers;
    private readonly CancellationTokenSource stop = new();
    private readonly Func<int, Batch> buildBatch;

    public EpochRun(Func<int, Batch> buildBatch, int firstBatch, int endBatch, int workerCount, int prefetchPerWorker)
    {
        this.buildBatch = buildBatch;
        this.firstBatch = firstBatch;
        int count = Math.Max(1, Math.Min(workerCount, endBatch - firstBatch));
        queues = Enumerable.Range(0, count)
            .Select(_ => new BlockingCollection<Loaded>(Math.Max(1, prefetchPerWorker)))
            .ToArray();
        workers = Enumerable.Range(0, count)
            .Select(k => new Thread(() => Work(k, endBatch)) { IsBackground = true, Name = $"data-loader-{k}" })
            .ToArray();
        foreach (var worker in workers)
            worker.Start();
    }

    public Batch Take(int batchIndex)
    {
        Loaded loaded;
        try
        {
            loaded = queues[(batchIndex - firstBatch) % queues.Length].Take(stop.Token);
        }
        catch (OperationCanceledException)
        {
            throw new ObjectDisposedException(nameof(DataLoader), "the data loader was disposed while reading an epoch");
        }
        loaded.Error?.Throw();
        return loaded.Batch!;
    }

    private void Work(int worker, int endBatch)
    {
        var queue = queues[worker];
        try
        {
            for (int batch = firstBatch + worker; batch < endBatch; batch += queues.Length)
            {
                stop.Token.ThrowIfCancellationRequested();
                Loaded loaded;
                try
                {
                    loaded = new Loaded(buildBatch(batch), null);
                }
                catch (Exception error) when (error is not OperationCanceledException)
                {
                    queue.Add(new Loaded(null, ExceptionDispatchInfo.Capture(error)), stop.Token);
                    return;
                }
                try
                {
                    queue.Add(loaded, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    loaded.Batch!.Dispose();
                    throw;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped by Dispose.
        }
    }

    public void Dispose()
    {
        stop.Cancel();
        foreach (var worker in workers)
            worker.Join();
        foreach (var queue in queues)
        {
            while (queue.TryTake(out var loaded))
                loaded.Batch?.Dispose();
            queue.Dispose();
        }
        stop.Dispose();
    }
}
