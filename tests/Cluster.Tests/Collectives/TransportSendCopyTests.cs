using System.Buffers;
using System.Runtime.InteropServices;
using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Lfb;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Grains.Workers;
using Cluster.Training.Distributed;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Collectives;

/// <summary>
/// What a send hands Orleans: garbage-collected memory (an array, the ring's <see cref="PinnedFloatBuffer"/>) goes
/// as it is, without a copy; native memory, which a failed run frees while Orleans may still hold the message, is
/// copied first.
/// </summary>
public sealed class TransportSendCopyTests
{
    private static readonly string[] Peers = ["silo-a/cpu:0", "silo-b/cpu:0"];

    private static (OrleansPeerTransport Transport, CapturingWorker Peer) Transport()
    {
        var peer = new CapturingWorker();
        var mailboxes = new CollectiveMailboxes(Options.Create(new WorkerOptions()));
        var group = new GroupMembership("exp", 1, 0, Peers);
        var transport = new OrleansPeerTransport(group, _ => peer, mailboxes.Open(Peers[0], "exp", 1), 1 << 20, CancellationToken.None);
        return (transport, peer);
    }

    [Fact]
    public async Task An_array_slice_is_sent_from_the_array_itself()
    {
        var (transport, peer) = Transport();
        var array = new byte[] { 9, 1, 2, 3, 9 };

        await transport.SendAsync(1, 7, array.AsMemory(1, 3), CancellationToken.None);

        Assert.True(MemoryMarshal.TryGetArray(peer.Last!.Payload.Bytes, out var sent));
        Assert.Same(array, sent.Array);
        Assert.Equal((1, 3), (sent.Offset, sent.Count));
    }

    [Fact]
    public async Task A_pinned_float_buffer_is_sent_from_the_buffer_itself()
    {
        var (transport, peer) = Transport();
        using var buffer = new PinnedFloatBuffer(4);
        buffer.Tensor.fill_(2.5f);

        await transport.SendAsync(1, 7, buffer.Memory[4..12], CancellationToken.None);

        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, PinnedFloatBuffer>(peer.Last!.Payload.Bytes, out var manager, out int start, out int length));
        Assert.Same(buffer, manager);
        Assert.Equal((4, 8), (start, length));
        Assert.Equal([2.5f, 2.5f], MemoryMarshal.Cast<byte, float>(peer.Last.Payload.Bytes.Span).ToArray());
    }

    [Fact]
    public async Task Native_memory_is_copied_before_the_send_and_not_read_after_it()
    {
        var (transport, peer) = Transport();
        using var native = new NativeBytes([4, 5, 6]);

        await transport.SendAsync(1, 7, native.Memory, CancellationToken.None);
        native.Memory.Span.Fill(0);

        Assert.False(MemoryMarshal.TryGetMemoryManager<byte, NativeBytes>(peer.Last!.Payload.Bytes, out _));
        Assert.Equal([4, 5, 6], peer.Last.Payload.Bytes.ToArray());
    }

    /// <summary>A slot grain that keeps the last message delivered to it (the receiving silo is not under test).</summary>
    private sealed class CapturingWorker : IGpuWorkerGrain
    {
        public CollectiveMessage? Last { get; private set; }

        public Task Deliver(CollectiveMessage message)
        {
            Last = message;
            return Task.CompletedTask;
        }

        public Task Start(WorkerStart start) => throw new NotSupportedException();
        public Task ComputeBankShard(BankShardWork work) => throw new NotSupportedException();
        public Task Stop(string experimentId) => throw new NotSupportedException();
        public Task<AllReduceBenchmarkResult> BenchmarkAllReduce(AllReduceBenchmarkSpec spec) => throw new NotSupportedException();
        public Task<WorkerStatus> GetStatus() => throw new NotSupportedException();
    }

    /// <summary>Bytes in native memory, like a tensor's own storage.</summary>
    private sealed unsafe class NativeBytes : MemoryManager<byte>
    {
        private readonly byte* pointer;
        private readonly int length;

        public NativeBytes(byte[] values)
        {
            length = values.Length;
            pointer = (byte*)NativeMemory.Alloc((nuint)length);
            values.CopyTo(new Span<byte>(pointer, length));
        }

        public override Span<byte> GetSpan() => new(pointer, length);
        public override MemoryHandle Pin(int elementIndex = 0) => new(pointer + elementIndex);
        public override void Unpin() { }
        protected override void Dispose(bool disposing) => NativeMemory.Free(pointer);
    }
}
