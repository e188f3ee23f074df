using Cluster.Abstractions.Workers;

namespace Cluster.Grains.Workers;

/// <summary>
/// Delivers a run's events to its experiment in order, in batches, off the training thread. A failed delivery (the
/// experiment's silo died and its grain is reactivating elsewhere) is retried with backoff, the batch kept at the
/// head of the queue so order holds. <see cref="Post"/> never blocks: while deliveries fail, progress events beyond
/// <c>progressCapacity</c> queued events are dropped (the next one supersedes them); all other events are kept.
/// </summary>
internal sealed class ReportSender
{
    private const int MaxBatch = 200;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    private readonly Func<IReadOnlyList<WorkerEvent>, Task> sink;
    private readonly int progressCapacity;
    private readonly Queue<WorkerEvent> queue = new();
    private readonly SemaphoreSlim signal = new(0);
    private readonly CancellationTokenSource abandon = new();
    private bool completed;

    public ReportSender(Func<IReadOnlyList<WorkerEvent>, Task> sink, int progressCapacity = 500)
    {
        this.sink = sink;
        this.progressCapacity = progressCapacity;
        Completion = Task.Run(DeliverAsync);
    }

    /// <summary>Ends once every event posted before <see cref="Complete"/> was delivered, or on <see cref="Abandon"/>.</summary>
    public Task Completion { get; }

    /// <summary>Failed deliveries so far (retried).</summary>
    public int Retries { get; private set; }

    public void Post(WorkerEvent value)
    {
        lock (queue)
        {
            if (completed) throw new InvalidOperationException("the run's reports are already complete");
            if (value is ProgressReported && queue.Count >= progressCapacity) return;
            queue.Enqueue(value);
        }
        signal.Release();
    }

    /// <summary>No more events: <see cref="Completion"/> ends when the queue is delivered.</summary>
    public void Complete()
    {
        lock (queue) completed = true;
        signal.Release();
    }

    /// <summary>Stops retrying (the experiment is unreachable for good); undelivered events are dropped.</summary>
    public void Abandon() => abandon.Cancel();

    private async Task DeliverAsync()
    {
        try
        {
            while (true)
            {
                await signal.WaitAsync(abandon.Token);
                List<WorkerEvent> batch;
                lock (queue)
                {
                    if (queue.Count == 0)
                    {
                        if (completed) return;
                        continue;
                    }
                    batch = [.. queue.Take(MaxBatch)];
                }
                await SendWithRetriesAsync(batch);
                lock (queue)
                {
                    for (int i = 0; i < batch.Count; i++) queue.Dequeue();
                    if (queue.Count > 0 || completed) signal.Release();
                }
            }
        }
        catch (OperationCanceledException) when (abandon.IsCancellationRequested)
        {
            // Abandoned: the rest is dropped.
        }
    }

    private async Task SendWithRetriesAsync(List<WorkerEvent> batch)
    {
        var backoff = FirstBackoff;
        while (true)
        {
            try
            {
                await sink(batch);
                return;
            }
            catch (Exception) when (abandon.IsCancellationRequested)
            {
                // Abandoned while (or before) this attempt failed: the batch is dropped like the rest.
                throw new OperationCanceledException(abandon.Token);
            }
            catch (Exception)
            {
                Retries++;
                await Task.Delay(backoff, abandon.Token);
                backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
            }
        }
    }
}
