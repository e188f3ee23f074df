using System.Buffers;
using System.Collections.Concurrent;
using Cluster.Training.Distributed;

namespace Cluster.Tests.Distributed;

/// <summary>
/// Test-only <see cref="IPeerTransport"/>s for N ranks in one process: a mailbox per (receiver, sender, tag). Sends
/// copy the payload, as a real transport serializes it. A muted rank's sends vanish (a hung peer); sends to a broken
/// rank fail (a dead peer); sends to a stalled rank never complete (a peer that stopped accepting).
/// </summary>
internal sealed class InMemoryPeerNetwork(int worldSize)
{
    private readonly ConcurrentDictionary<(int To, int From, long Tag), TaskCompletionSource<byte[]>> mailboxes = new();
    private readonly ConcurrentDictionary<int, bool> muted = new();
    private readonly ConcurrentDictionary<int, Exception> broken = new();
    private readonly ConcurrentDictionary<int, bool> stalled = new();

    public int WorldSize { get; } = worldSize;

    public IPeerTransport Rank(int rank) => new Endpoint(this, rank);

    public IReadOnlyList<IPeerTransport> All() => Enumerable.Range(0, WorldSize).Select(Rank).ToList();

    public void Mute(int rank) => muted[rank] = true;

    public void Break(int rank, Exception error) => broken[rank] = error;

    public void Stall(int rank) => stalled[rank] = true;

    /// <summary>Messages sent but never received (should be none after matching collectives).</summary>
    public int Undelivered => mailboxes.Count;

    private TaskCompletionSource<byte[]> Mailbox(int to, int from, long tag) =>
        mailboxes.GetOrAdd((to, from, tag), _ => new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously));

    private sealed class Endpoint(InMemoryPeerNetwork network, int rank) : IPeerTransport
    {
        public int Rank => rank;
        public int WorldSize => network.WorldSize;

        public Task SendAsync(int toRank, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
        {
            if (toRank < 0 || toRank >= WorldSize || toRank == rank)
                throw new ArgumentOutOfRangeException(nameof(toRank), $"rank {rank} cannot send to {toRank}");
            if (network.broken.TryGetValue(toRank, out var error))
                return Task.FromException(error);
            if (network.stalled.ContainsKey(toRank))
                return Task.Delay(Timeout.Infinite, cancellation);
            if (network.muted.ContainsKey(rank))
                return Task.CompletedTask;
            if (!network.Mailbox(toRank, rank, tag).TrySetResult(payload.ToArray()))
                throw new InvalidOperationException($"rank {rank} sent tag {tag:x} to {toRank} twice");
            return Task.CompletedTask;
        }

        public async Task<IMemoryOwner<byte>> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation)
        {
            var message = await network.Mailbox(rank, fromRank, tag).Task.WaitAsync(cancellation);
            network.mailboxes.TryRemove((rank, fromRank, tag), out _);
            return new Received(message);
        }
    }

    /// <summary>A received array, not pooled: disposing it does nothing.</summary>
    private sealed class Received(byte[] bytes) : IMemoryOwner<byte>
    {
        public Memory<byte> Memory => bytes;

        public void Dispose()
        {
        }
    }
}
