using System.Runtime.InteropServices;
using Cluster.Training.Distributed;

namespace Cluster.Tests.Distributed;

public class RingAllReduceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Rank r's element i: distinct per rank and element, exactly representable, so sums are exact.</summary>
    private static float Value(int rank, int i) => (rank + 1) * 1000 + i % 997 - 0.25f * rank;

    [Theory]
    [InlineData(2, 1, 64)]
    [InlineData(2, 7, 64)]
    [InlineData(3, 1, 64)]
    [InlineData(3, 2, 64)]
    [InlineData(3, 100, 64)]
    [InlineData(3, 1001, 64)]
    [InlineData(4, 3, 64)]
    [InlineData(4, 1, 8)]
    [InlineData(4, 4097, 64)]
    [InlineData(4, 50_001, 4096)]
    public async Task Sum_equals_the_direct_sum_on_every_rank(int ranks, int elements, int chunkBytes)
    {
        var network = new InMemoryPeerNetwork(ranks);
        var buffers = Enumerable.Range(0, ranks)
            .Select(rank => Enumerable.Range(0, elements).Select(i => Value(rank, i)).ToArray()).ToArray();
        var expected = Enumerable.Range(0, elements).Select(i => Enumerable.Range(0, ranks).Sum(rank => (double)Value(rank, i))).ToArray();

        await Task.WhenAll(Enumerable.Range(0, ranks).Select(rank => Task.Run(() =>
            new RingAllReduce(network.Rank(rank), chunkBytes, Timeout).SumAsync(Bytes(buffers[rank])))));

        for (int rank = 0; rank < ranks; rank++)
            Assert.Equal(expected, buffers[rank].Select(v => (double)v).ToArray());
        Assert.Equal(0, network.Undelivered);
    }

    [Fact]
    public async Task Consecutive_calls_do_not_mix_their_messages()
    {
        const int ranks = 3;
        var network = new InMemoryPeerNetwork(ranks);
        var rings = network.All().Select(t => new RingAllReduce(t, 16, Timeout)).ToArray();
        var first = Enumerable.Range(0, ranks).Select(r => Enumerable.Range(0, 10).Select(i => Value(r, i)).ToArray()).ToArray();
        var second = Enumerable.Range(0, ranks).Select(r => Enumerable.Range(0, 10).Select(i => -Value(r, i + 5)).ToArray()).ToArray();

        // Both calls in flight at once on every rank, started in the same order everywhere (as buckets are).
        await Task.WhenAll(Enumerable.Range(0, ranks).Select(rank =>
        {
            var a = rings[rank].SumAsync(Bytes(first[rank]));
            var b = rings[rank].SumAsync(Bytes(second[rank]));
            return Task.WhenAll(a, b);
        }));

        for (int rank = 0; rank < ranks; rank++)
        {
            Assert.Equal(Enumerable.Range(0, 10).Select(i => Enumerable.Range(0, ranks).Sum(r => Value(r, i))), first[rank]);
            Assert.Equal(Enumerable.Range(0, 10).Select(i => Enumerable.Range(0, ranks).Sum(r => -Value(r, i + 5))), second[rank]);
        }
    }

    [Fact]
    public async Task World_size_one_leaves_the_buffer_alone()
    {
        var buffer = new[] { 1f, 2f, 3f };
        await new RingAllReduce(new InMemoryPeerNetwork(1).Rank(0), 8, Timeout).SumAsync(Bytes(buffer));
        Assert.Equal([1f, 2f, 3f], buffer);
    }

    [Theory]
    [InlineData(2, 16)]
    [InlineData(3, 16)]
    [InlineData(4, 8)]
    public async Task Gather_returns_every_ranks_bytes_by_rank(int ranks, int chunkBytes)
    {
        var network = new InMemoryPeerNetwork(ranks);
        // Different lengths per rank, some longer than a chunk, one empty.
        var locals = Enumerable.Range(0, ranks).Select(r => Enumerable.Range(0, r * 13).Select(i => (byte)(r * 31 + i)).ToArray()).ToArray();

        var gathered = await Task.WhenAll(Enumerable.Range(0, ranks).Select(rank => Task.Run(() =>
            new RingAllReduce(network.Rank(rank), chunkBytes, Timeout).GatherAsync(locals[rank]))));

        foreach (var result in gathered)
            Assert.Equal(locals, result);
    }

    [Fact]
    public async Task A_peer_that_never_sends_times_out_naming_that_peer()
    {
        const int ranks = 3;
        var network = new InMemoryPeerNetwork(ranks);
        network.Mute(1);
        var timeout = TimeSpan.FromMilliseconds(300);

        // Rank 2 receives from rank 1, which stays silent.
        var error = await Assert.ThrowsAsync<CollectiveTimeoutException>(() => Task.Run(() =>
            new RingAllReduce(network.Rank(2), 64, timeout).SumAsync(Bytes(new float[30]))));

        Assert.Equal(1, error.PeerRank);
        Assert.Contains("rank 1", error.Message);
        Assert.IsAssignableFrom<GroupFaultException>(error);
    }

    [Fact]
    public async Task A_failed_send_fails_the_collective_at_once_with_the_transports_error()
    {
        var network = new InMemoryPeerNetwork(3);
        network.Break(1, new IOException("rank 1 is gone"));

        // Rank 0 alone: its receive from rank 2 would wait the full minute; the failed send to rank 1 ends it first.
        var error = await Assert.ThrowsAsync<IOException>(() => Task.Run(() =>
            new RingAllReduce(network.Rank(0), 64, TimeSpan.FromMinutes(1)).SumAsync(Bytes(new float[30]))));
        Assert.Equal("rank 1 is gone", error.Message);
    }

    [Fact]
    public async Task A_send_the_next_rank_never_accepts_times_out_naming_that_rank()
    {
        var network = new InMemoryPeerNetwork(2);
        network.Stall(1);
        // Rank 1's two messages to rank 0 (its half for the reduce-scatter, then the reduced half) are already there,
        // so only rank 0's sends can keep it waiting.
        var rankOne = network.Rank(1);
        await rankOne.SendAsync(0, RingTag.Of(0, RingPhase.ReduceScatter, 0, 0), new byte[4], default);
        await rankOne.SendAsync(0, RingTag.Of(0, RingPhase.AllGather, 0, 0), new byte[4], default);

        var error = await Assert.ThrowsAsync<CollectiveTimeoutException>(() => Task.Run(() =>
            new RingAllReduce(network.Rank(0), 64, TimeSpan.FromMilliseconds(300)).SumAsync(Bytes(new float[2]))));
        Assert.Equal(1, error.PeerRank);
        Assert.Contains("(sending)", error.Message);
    }

    [Fact]
    public void Bad_arguments_are_refused()
    {
        var transport = new InMemoryPeerNetwork(2).Rank(0);
        Assert.Throws<ArgumentException>(() => new RingAllReduce(transport, 10, Timeout));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingAllReduce(transport, 4, Timeout));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RingAllReduce(transport, 64, TimeSpan.Zero));
        Assert.Throws<ArgumentException>(() => { _ = new RingAllReduce(transport, 64, Timeout).SumAsync(new byte[6]); });
    }

    private static Memory<byte> Bytes(float[] values) => new FloatBytes(values).Memory;

    /// <summary>A float[]'s bytes as Memory (tests only; the engine reduces tensors' native memory).</summary>
    private sealed class FloatBytes(float[] values) : System.Buffers.MemoryManager<byte>
    {
        private GCHandle handle;

        public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(values.AsSpan());

        public override unsafe System.Buffers.MemoryHandle Pin(int elementIndex = 0)
        {
            handle = GCHandle.Alloc(values, GCHandleType.Pinned);
            return new((byte*)handle.AddrOfPinnedObject() + elementIndex, handle, this);
        }

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
