using System.Buffers;

namespace Cluster.Grains.Collectives;

/// <summary>
/// The messages of one group generation addressed to one slot, matched by (sender rank, tag): a message that arrives
/// before its receive waits here, a receive that comes first waits for its message. Thread-safe: delivered from
/// grain turns, received on the training thread.
/// </summary>
internal sealed class Mailbox(string experimentId, int generation)
{
    private readonly Dictionary<(int From, long Tag), IMemoryOwner<byte>> arrived = [];
    private readonly Dictionary<(int From, long Tag), TaskCompletionSource<IMemoryOwner<byte>>> waiting = [];
    private Exception? closed;

    public string ExperimentId { get; } = experimentId;
    public int Generation { get; } = generation;

    /// <summary>Bytes that arrived and were not received yet.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>When the first message arrived (for dropping a buffer whose generation never starts).</summary>
    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    /// <summary>Hands a message to its waiting receive, or keeps it until that receive comes (the mailbox owns
    /// <paramref name="payload"/> from here on, and disposes it when refusing it). Never blocks.</summary>
    public void Post(int fromRank, long tag, IMemoryOwner<byte> payload)
    {
        TaskCompletionSource<IMemoryOwner<byte>>? receiver;
        lock (arrived)
        {
            if (closed is not null)
            {
                payload.Dispose();
                throw closed;
            }
            if (!waiting.Remove((fromRank, tag), out receiver))
            {
                if (!arrived.TryAdd((fromRank, tag), payload))
                {
                    payload.Dispose();
                    throw new InvalidOperationException(
                        $"experiment '{ExperimentId}' generation {Generation}: a second message from rank {fromRank} with tag {tag}");
                }
                BufferedBytes += payload.Memory.Length;
                return;
            }
        }
        // Continuations run asynchronously: the caller's turn is not taken over. A receive cancelled meanwhile
        // never sees the payload, so it goes back to the pool here.
        if (!receiver.TrySetResult(payload))
            payload.Dispose();
    }

    /// <summary>The message from <paramref name="fromRank"/> with <paramref name="tag"/>, once it arrived.</summary>
    public Task<IMemoryOwner<byte>> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation)
    {
        TaskCompletionSource<IMemoryOwner<byte>> receiver;
        lock (arrived)
        {
            if (closed is not null) return Task.FromException<IMemoryOwner<byte>>(closed);
            if (arrived.Remove((fromRank, tag), out var payload))
            {
                BufferedBytes -= payload.Memory.Length;
                return Task.FromResult(payload);
            }
            if (cancellation.IsCancellationRequested) return Task.FromCanceled<IMemoryOwner<byte>>(cancellation);
            receiver = new TaskCompletionSource<IMemoryOwner<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
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
        List<TaskCompletionSource<IMemoryOwner<byte>>> receivers;
        lock (arrived)
        {
            if (closed is not null) return;
            closed = reason;
            foreach (var payload in arrived.Values) payload.Dispose();
            arrived.Clear();
            BufferedBytes = 0;
            receivers = [.. waiting.Values];
            waiting.Clear();
        }
        foreach (var receiver in receivers) receiver.TrySetException(reason);
    }
}
