namespace Cluster.Grains.Collectives;

/// <summary>
/// The messages of one group generation addressed to one slot, matched by (sender rank, tag): a message that arrives
/// before its receive waits here, a receive that comes first waits for its message. Thread-safe: delivered from
/// grain turns, received on the training thread.
/// </summary>
internal sealed class Mailbox(string experimentId, int generation)
{
    private readonly Dictionary<(int From, long Tag), byte[]> arrived = [];
    private readonly Dictionary<(int From, long Tag), TaskCompletionSource<byte[]>> waiting = [];
    private Exception? closed;

    public string ExperimentId { get; } = experimentId;
    public int Generation { get; } = generation;

    /// <summary>Bytes that arrived and were not received yet.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>When the first message arrived (for dropping a buffer whose generation never starts).</summary>
    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    /// <summary>Hands a message to its waiting receive, or keeps it until that receive comes. Never blocks.</summary>
    public void Post(int fromRank, long tag, byte[] payload)
    {
        TaskCompletionSource<byte[]>? receiver;
        lock (arrived)
        {
            if (closed is not null) throw closed;
            if (!waiting.Remove((fromRank, tag), out receiver))
            {
                if (!arrived.TryAdd((fromRank, tag), payload))
                    throw new InvalidOperationException(
                        $"experiment '{ExperimentId}' generation {Generation}: a second message from rank {fromRank} with tag {tag}");
                BufferedBytes += payload.Length;
                return;
            }
        }
        receiver.TrySetResult(payload); // continuations run asynchronously: the caller's turn is not taken over
    }

    /// <summary>The message from <paramref name="fromRank"/> with <paramref name="tag"/>, once it arrived.</summary>
    public Task<byte[]> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation)
    {
        TaskCompletionSource<byte[]> receiver;
        lock (arrived)
        {
            if (closed is not null) return Task.FromException<byte[]>(closed);
            if (arrived.Remove((fromRank, tag), out var payload))
            {
                BufferedBytes -= payload.Length;
                return Task.FromResult(payload);
            }
            if (cancellation.IsCancellationRequested) return Task.FromCanceled<byte[]>(cancellation);
            receiver = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!waiting.TryAdd((fromRank, tag), receiver))
                throw new InvalidOperationException($"a second receive from rank {fromRank} with tag {tag}");
        }
        if (cancellation.CanBeCanceled)
        {
            var registration = cancellation.Register(() =>
            {
                lock (arrived) waiting.Remove((fromRank, tag));
                receiver.TrySetCanceled(cancellation);
            });
            receiver.Task.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return receiver.Task;
    }

    /// <summary>Drops what is buffered; waiting receives and later posts fail with <paramref name="reason"/>.</summary>
    public void Close(Exception reason)
    {
        List<TaskCompletionSource<byte[]>> receivers;
        lock (arrived)
        {
            if (closed is not null) return;
            closed = reason;
            arrived.Clear();
            BufferedBytes = 0;
            receivers = [.. waiting.Values];
            waiting.Clear();
        }
        foreach (var receiver in receivers) receiver.TrySetException(reason);
    }
}
