using System.Buffers.Binary;
using System.Runtime.ExceptionServices;

namespace Cluster.Training.Distributed;

/// <summary>
/// Ring collectives over an <see cref="IPeerTransport"/>: every rank sends only to the next rank and receives only
/// from the previous one, so each link carries 2·(N−1)/N of the buffer per all-reduce whatever N is.
/// <para>All-reduce = reduce-scatter then all-gather over N segments of the buffer. Each segment travels in messages
/// of at most the chunk size; a chunk is forwarded to the next rank as soon as it was received and reduced, so sends
/// to the next rank overlap receives from the previous one. Every receive is posted with its place in the buffer
/// (<see cref="IPeerTransport.ReceiveIntoAsync"/>), so a transport can add (or copy) the bytes straight into it as it
/// reads the message, with no buffer of its own in between.</para>
/// <para>Every call takes the next sequence number of this instance (on the calling thread, before it yields), which
/// makes its tags unique; all ranks must make the same calls in the same order.</para>
/// </summary>
public sealed class RingAllReduce
{
    private const int HeaderBytes = sizeof(long);

    private readonly IPeerTransport transport;
    private readonly int chunkBytes;
    private long nextSequence;

    /// <param name="chunkBytes">The largest message, a positive multiple of 4 (float32 elements).</param>
    /// <param name="timeout">How long one receive waits before the collective fails with
    /// <see cref="CollectiveTimeoutException"/>.</param>
    public RingAllReduce(IPeerTransport transport, int chunkBytes, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkBytes, HeaderBytes, nameof(chunkBytes));
        if (chunkBytes % sizeof(float) != 0)
            throw new ArgumentException($"chunk size {chunkBytes} is not a multiple of {sizeof(float)} bytes", nameof(chunkBytes));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero, nameof(timeout));
        if (transport.WorldSize > RingTag.MaxSteps)
            throw new ArgumentException($"a ring supports at most {RingTag.MaxSteps} ranks, got {transport.WorldSize}");
        this.transport = transport;
        this.chunkBytes = chunkBytes;
        Timeout = timeout;
    }

    public TimeSpan Timeout { get; }
    public int Rank => transport.Rank;
    public int WorldSize => transport.WorldSize;

    private int Next => (Rank + 1) % WorldSize;
    private int Previous => (Rank + WorldSize - 1) % WorldSize;

    /// <summary>Sums <paramref name="buffer"/> (float32 elements, native byte order) over all ranks, in place.</summary>
    public Task SumAsync(Memory<byte> buffer)
    {
        if (buffer.Length % sizeof(float) != 0)
            throw new ArgumentException($"a float32 buffer of {buffer.Length} bytes is not a whole number of elements", nameof(buffer));
        long sequence = nextSequence++;
        return WorldSize == 1 || buffer.IsEmpty ? Task.CompletedTask : RunSumAsync(buffer, sequence);
    }

    /// <summary>Every rank's <paramref name="local"/> bytes (of any length), indexed by rank.</summary>
    public Task<byte[][]> GatherAsync(byte[] local)
    {
        long sequence = nextSequence++;
        return WorldSize == 1 ? Task.FromResult(new[] { local }) : RunGatherAsync(local, sequence);
    }

    private async Task RunSumAsync(Memory<byte> buffer, long sequence)
    {
        var layout = new SegmentLayout(buffer.Length / sizeof(float), WorldSize, chunkBytes / sizeof(float));
        using var exchange = new Exchange(this, sequence, "all-reduce");
        int lastStep = WorldSize - 2;
        Memory<byte> Bytes(int segment, int chunk) => layout.Bytes(buffer, segment, chunk);

        // Every receive is posted before any send, so the transport can apply each message as it reads it. A
        // reduce-scatter receive adds into a part of the buffer that this rank sends only afterwards. An all-gather
        // receive overwrites a part this rank sent during the reduce-scatter (segment Rank − step), but its message
        // cannot exist before that send was received: the completed segment it carries includes this rank's
        // partial sum. So no byte is overwritten while a send of it may still be read.
        var reduced = new Task[lastStep + 1][];
        var gathered = new Task[lastStep + 1][];
        for (int step = 0; step <= lastStep; step++)
        {
            reduced[step] = PostReceives(RingPhase.ReduceScatter, step, Mod(Rank - step - 1), ReceiveOperation.Add);
            gathered[step] = PostReceives(RingPhase.AllGather, step, Mod(Rank - step), ReceiveOperation.Copy);
        }

        Task[] PostReceives(RingPhase phase, int step, int segment, ReceiveOperation operation)
        {
            var receives = new Task[layout.ChunkCount(segment)];
            for (int chunk = 0; chunk < receives.Length; chunk++)
                receives[chunk] = exchange.ReceiveInto(phase, step, chunk, Bytes(segment, chunk), operation);
            return receives;
        }

        for (int chunk = 0; chunk < layout.ChunkCount(Rank); chunk++)
            _ = exchange.Send(RingPhase.ReduceScatter, 0, chunk, Bytes(Rank, chunk));
        for (int step = 0; step <= lastStep; step++)
        {
            int segment = Mod(Rank - step - 1);
            for (int chunk = 0; chunk < reduced[step].Length; chunk++)
            {
                await exchange.Await(reduced[step][chunk]).ConfigureAwait(false);
                // After the last step this segment is complete here: it starts the all-gather.
                if (step < lastStep)
                    _ = exchange.Send(RingPhase.ReduceScatter, step + 1, chunk, Bytes(segment, chunk));
                else
                    _ = exchange.Send(RingPhase.AllGather, 0, chunk, Bytes(segment, chunk));
            }
        }
        for (int step = 0; step <= lastStep; step++)
        {
            int segment = Mod(Rank - step);
            for (int chunk = 0; chunk < gathered[step].Length; chunk++)
            {
                await exchange.Await(gathered[step][chunk]).ConfigureAwait(false);
                if (step < lastStep)
                    _ = exchange.Send(RingPhase.AllGather, step + 1, chunk, Bytes(segment, chunk));
            }
        }
        await exchange.Finish().ConfigureAwait(false);
    }

    private async Task<byte[][]> RunGatherAsync(byte[] local, long sequence)
    {
        var result = new byte[WorldSize][];
        result[Rank] = local;
        using var exchange = new Exchange(this, sequence, "all-gather");
        for (int step = 0; step < WorldSize - 1; step++)
        {
            SendBlob(exchange, result[Mod(Rank - step)], step);
            result[Mod(Rank - step - 1)] = await ReceiveBlob(exchange, step).ConfigureAwait(false);
        }
        await exchange.Finish().ConfigureAwait(false);
        return result;
    }

    /// <summary>A blob goes as a length header (chunk 0), then its bytes in chunks 1.. of at most the chunk size.</summary>
    private void SendBlob(Exchange exchange, byte[] blob, int step)
    {
        var header = new byte[HeaderBytes];
        BinaryPrimitives.WriteInt64LittleEndian(header, blob.Length);
        exchange.Send(RingPhase.AllGather, step, 0, header);
        for (int offset = 0, chunk = 1; offset < blob.Length; offset += chunkBytes, chunk++)
            exchange.Send(RingPhase.AllGather, step, chunk, blob.AsMemory(offset, Math.Min(chunkBytes, blob.Length - offset)));
    }

    private async Task<byte[]> ReceiveBlob(Exchange exchange, int step)
    {
        var header = new byte[HeaderBytes];
        await exchange.Await(exchange.ReceiveInto(RingPhase.AllGather, step, 0, header, ReceiveOperation.Copy)).ConfigureAwait(false);
        long length = BinaryPrimitives.ReadInt64LittleEndian(header);
        if (length < 0 || length > Array.MaxLength)
            throw new InvalidOperationException($"all-gather: rank {Previous} announced a blob of {length} bytes");
        int chunks = (int)((length + chunkBytes - 1) / chunkBytes);
        if (chunks > RingTag.MaxChunks - 1)
            throw new InvalidOperationException($"all-gather: a blob of {length} bytes needs more than {RingTag.MaxChunks - 1} chunks");
        var blob = new byte[length];
        var parts = new Task[chunks];
        for (int chunk = 1; chunk <= chunks; chunk++)
        {
            int offset = (chunk - 1) * chunkBytes;
            parts[chunk - 1] = exchange.ReceiveInto(RingPhase.AllGather, step, chunk,
                blob.AsMemory(offset, (int)Math.Min(chunkBytes, length - offset)), ReceiveOperation.Copy);
        }
        foreach (var part in parts)
            await exchange.Await(part).ConfigureAwait(false);
        return blob;
    }

    private int Mod(int value) => ((value % WorldSize) + WorldSize) % WorldSize;

    /// <summary>
    /// The messages of one collective call: sends to the next rank and receives from the previous one, each bounded
    /// by the timeout (a posted receive's from when the call starts waiting for it). A failed send aborts the pending
    /// receives at once, so a dead next rank is noticed without waiting for the timeout; so does the end of the call.
    /// </summary>
    private sealed class Exchange(RingAllReduce ring, long sequence, string operation) : IDisposable
    {
        private readonly CancellationTokenSource abort = new();
        private readonly List<Task> sends = [];
        private readonly List<Task> posted = [];
        private Exception? sendFailure;

        /// <summary>Posts the receive of a message straight into <paramref name="target"/>; wait for it with
        /// <see cref="Await"/>.</summary>
        public Task ReceiveInto(RingPhase phase, int step, int chunk, Memory<byte> target, ReceiveOperation receiveOperation)
        {
            var receive = ring.transport.ReceiveIntoAsync(ring.Previous, RingTag.Of(sequence, phase, step, chunk), target,
                receiveOperation, abort.Token);
            posted.Add(receive);
            return receive;
        }

        /// <summary>Waits for a posted receive, for at most the timeout from now.</summary>
        public async Task Await(Task receive)
        {
            try
            {
                await receive.WaitAsync(ring.Timeout).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (Volatile.Read(ref sendFailure) is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
                throw;
            }
            catch (TimeoutException) when (!receive.IsCompleted)
            {
                throw new CollectiveTimeoutException(ring.Previous, ring.Timeout, operation);
            }
        }

        public Task Send(RingPhase phase, int step, int chunk, ReadOnlyMemory<byte> payload)
        {
            var send = SendAsync(RingTag.Of(sequence, phase, step, chunk), payload);
            sends.Add(send);
            return send;
        }

        public Task Finish() => Task.WhenAll(sends);

        private async Task SendAsync(long tag, ReadOnlyMemory<byte> payload)
        {
            using var timeoutSource = new CancellationTokenSource(ring.Timeout);
            try
            {
                await ring.transport.SendAsync(ring.Next, tag, payload, timeoutSource.Token).ConfigureAwait(false);
            }
            catch (Exception error)
            {
                var failure = error is OperationCanceledException && timeoutSource.IsCancellationRequested
                    ? new CollectiveTimeoutException(ring.Next, ring.Timeout, $"{operation} (sending)")
                    : error;
                Interlocked.CompareExchange(ref sendFailure, failure, null);
                abort.Cancel();
                if (ReferenceEquals(failure, error))
                    throw;
                throw failure;
            }
        }

        /// <summary>A failed call leaves sends and posted receives behind: the receives are withdrawn, and the faults
        /// of both are expected and must not go unobserved.</summary>
        public void Dispose()
        {
            abort.Cancel();
            foreach (var task in sends.Concat(posted))
                _ = task.ContinueWith(static task => task.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
        }
    }

    /// <summary>N segments of nearly equal size (some empty when the buffer has fewer elements than ranks), each cut
    /// into chunks of at most the chunk size; sender and receiver derive the same cuts from the length alone.</summary>
    private readonly struct SegmentLayout
    {
        private readonly long elements;
        private readonly int ranks;
        private readonly int chunkElements;

        public SegmentLayout(long elements, int ranks, int chunkElements)
        {
            this.elements = elements;
            this.ranks = ranks;
            this.chunkElements = chunkElements;
            for (int segment = 0; segment < ranks; segment++)
                if (ChunkCount(segment) > RingTag.MaxChunks)
                    throw new ArgumentException($"all-reduce: {elements} elements need more than {RingTag.MaxChunks} chunks per segment; raise the chunk size");
        }

        private long Start(int segment) => elements * segment / ranks;

        public int ChunkCount(int segment)
        {
            long length = Start(segment + 1) - Start(segment);
            return (int)((length + chunkElements - 1) / chunkElements);
        }

        public Memory<byte> Bytes(Memory<byte> buffer, int segment, int chunk)
        {
            long start = Start(segment) + (long)chunk * chunkElements;
            long end = Math.Min(start + chunkElements, Start(segment + 1));
            return buffer.Slice((int)(start * sizeof(float)), (int)((end - start) * sizeof(float)));
        }
    }
}
