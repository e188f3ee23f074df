using System.Buffers;
using Cluster.Training.Distributed;

namespace Cluster.Grains.Collectives;

/// <summary>
/// The messages of one group generation addressed to one slot, matched by (sender rank, tag): a message that arrives
/// before its receive waits here, a receive that comes first waits for its message. A receive can be posted with its
/// target (<see cref="ReceiveIntoAsync"/>): its message is then applied straight to that memory, while the silo reads
/// it off the connection (<see cref="Claim"/>) or when it is delivered. Thread-safe: delivered from grain turns and
/// connection threads, received on the training thread.
/// </summary>
internal sealed class Mailbox(string experimentId, int generation)
{
    private static readonly TimeSpan ClaimDrainLimit = TimeSpan.FromSeconds(30);

    private readonly Dictionary<(int From, long Tag), IMemoryOwner<byte>> arrived = [];
    private readonly Dictionary<(int From, long Tag), TaskCompletionSource<IMemoryOwner<byte>>> waiting = [];
    private readonly Dictionary<(int From, long Tag), PostedReceive> posted = [];
    private int claimed;
    private Exception? closed;

    public string ExperimentId { get; } = experimentId;
    public int Generation { get; } = generation;

    /// <summary>Bytes that arrived and were not received yet.</summary>
    public long BufferedBytes { get; private set; }

    /// <summary>When the first message arrived (for dropping a buffer whose generation never starts).</summary>
    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    /// <summary>Hands a message to its waiting or posted receive, or keeps it until that receive comes (the mailbox
    /// owns <paramref name="payload"/> from here on, and disposes it when refusing it). Never blocks.</summary>
    public void Post(int fromRank, long tag, IMemoryOwner<byte> payload)
    {
        TaskCompletionSource<IMemoryOwner<byte>>? receiver = null;
        PostedReceive? target;
        lock (arrived)
        {
            if (closed is not null)
            {
                payload.Dispose();
                throw closed;
            }
            if (posted.Remove((fromRank, tag), out target))
                claimed++;
            else if (!waiting.Remove((fromRank, tag), out receiver))
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
        if (target is not null)
        {
            target.Fill(payload);
            return;
        }
        // Continuations run asynchronously: the caller's turn is not taken over. A receive cancelled meanwhile
        // never sees the payload, so it goes back to the pool here.
        if (!receiver!.TrySetResult(payload))
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
            ThrowIfReceiving(fromRank, tag);
            receiver = new TaskCompletionSource<IMemoryOwner<byte>>(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting.Add((fromRank, tag), receiver);
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

    /// <summary>
    /// Applies the message from <paramref name="fromRank"/> with <paramref name="tag"/> to <paramref name="target"/>
    /// (exactly as long): at once if it arrived already, else as soon as it is read. Cancelling withdraws the receive
    /// unless its bytes are being written, in which case it completes once they are.
    /// </summary>
    public Task ReceiveIntoAsync(int fromRank, long tag, Memory<byte> target, ReceiveOperation operation, CancellationToken cancellation)
    {
        var receive = new PostedReceive(this, fromRank, tag, target, operation);
        IMemoryOwner<byte>? payload;
        lock (arrived)
        {
            if (closed is not null) return Task.FromException(closed);
            if (arrived.Remove((fromRank, tag), out payload))
            {
                BufferedBytes -= payload.Memory.Length;
                claimed++;
            }
            else
            {
                if (cancellation.IsCancellationRequested) return Task.FromCanceled(cancellation);
                ThrowIfReceiving(fromRank, tag);
                posted.Add((fromRank, tag), receive);
            }
        }
        if (payload is not null)
        {
            receive.Fill(payload);
            return receive.Completion;
        }
        if (cancellation.CanBeCanceled)
        {
            var registration = cancellation.Register(() =>
            {
                bool withdrawn;
                lock (arrived)
                    withdrawn = posted.TryGetValue((fromRank, tag), out var still) && ReferenceEquals(still, receive) && posted.Remove((fromRank, tag));
                if (withdrawn) receive.Cancel(cancellation);
            });
            receive.Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
        }
        return receive.Completion;
    }

    /// <summary>
    /// Claims the posted receive of this message for writing it while it is read (see
    /// <see cref="Cluster.Abstractions.Collectives.ICollectiveReceiveTargets"/>); null when none is posted or it
    /// expects another length (the message then arrives pooled, and its receive fails on the length).
    /// </summary>
    public PostedReceive? Claim(int fromRank, long tag, int length)
    {
        lock (arrived)
        {
            if (closed is not null || !posted.TryGetValue((fromRank, tag), out var receive) || receive.Length != length)
                return null;
            posted.Remove((fromRank, tag));
            claimed++;
            return receive;
        }
    }

    /// <summary>
    /// Drops what is buffered; waiting and posted receives and later posts fail with <paramref name="reason"/>.
    /// Returns once no claimed receive is being written any more: nothing writes into a receive's target after this.
    /// </summary>
    public void Close(Exception reason)
    {
        List<TaskCompletionSource<IMemoryOwner<byte>>> receivers;
        List<PostedReceive> targets;
        lock (arrived)
        {
            if (closed is not null) return;
            closed = reason;
            foreach (var payload in arrived.Values) payload.Dispose();
            arrived.Clear();
            BufferedBytes = 0;
            receivers = [.. waiting.Values];
            waiting.Clear();
            targets = [.. posted.Values];
            posted.Clear();
        }
        foreach (var receiver in receivers) receiver.TrySetException(reason);
        foreach (var target in targets) target.Fail(reason);
        // A message is read in milliseconds; the limit only keeps a reader that died mid-message from hanging the run.
        lock (arrived)
        {
            var deadline = DateTime.UtcNow + ClaimDrainLimit;
            while (claimed > 0 && DateTime.UtcNow < deadline)
                Monitor.Wait(arrived, TimeSpan.FromMilliseconds(100));
        }
    }

    private void ThrowIfReceiving(int fromRank, long tag)
    {
        if (waiting.ContainsKey((fromRank, tag)) || posted.ContainsKey((fromRank, tag)))
            throw new InvalidOperationException($"a second receive from rank {fromRank} with tag {tag}");
    }

    private void Released()
    {
        lock (arrived)
        {
            if (--claimed == 0) Monitor.PulseAll(arrived);
        }
    }

    /// <summary>A receive posted with its target; once claimed (by a reader or a post) it is written and finished once.</summary>
    internal sealed class PostedReceive(Mailbox owner, int fromRank, long tag, Memory<byte> target, ReceiveOperation operation)
        : Abstractions.Collectives.ClaimedReceive
    {
        private readonly TaskCompletionSource completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Completion => completion.Task;
        public int Length => target.Length;

        public override void Write(int offset, ReadOnlySpan<byte> bytes) =>
            ReceivedBytes.ApplyAt(operation, target.Span, offset, bytes);

        public override void Finish(Exception? error)
        {
            owner.Released();
            if (error is null) completion.TrySetResult();
            else completion.TrySetException(error);
        }

        /// <summary>Applies a whole delivered message (claimed by the caller) and finishes.</summary>
        public void Fill(IMemoryOwner<byte> payload)
        {
            Exception? failure = null;
            try
            {
                ReceivedBytes.Apply(operation, target.Span, payload.Memory.Span, fromRank, tag);
            }
            catch (Exception error)
            {
                failure = error;
            }
            finally
            {
                payload.Dispose();
            }
            Finish(failure);
        }

        public void Cancel(CancellationToken cancellation) => completion.TrySetCanceled(cancellation);

        public void Fail(Exception reason) => completion.TrySetException(reason);
    }
}
