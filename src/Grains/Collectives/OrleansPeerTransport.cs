using System.Buffers;
using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Workers;
using Cluster.Training.Distributed;

namespace Cluster.Grains.Collectives;

/// <summary>
/// Rank-to-rank bytes over Orleans calls: a send is <see cref="IGpuWorkerGrain.Deliver"/> on the peer's slot grain
/// (made from the training thread through the silo's grain factory), a receive waits on this slot's mailbox of the
/// generation. A send lends garbage-collected memory (the ring's bucket buffers, <see cref="PinnedFloatBuffer"/>) as
/// the <see cref="CollectivePayload"/> itself: Orleans serializes it straight from there. Other memory (a tensor's
/// own, which a failed run frees) is first copied into a pooled array, which goes back to the pool once the call
/// succeeded (the peer's silo then has the bytes, or, on this silo, the mailbox applied or copied them); after a failed
/// or abandoned call Orleans may still hold the message, so that array is left to the garbage collector and native
/// memory is never referenced past the send (see <see cref="CollectiveMemory"/>). A receive posted with its target
/// (<see cref="ReceiveIntoAsync"/>) gets the bytes applied as this silo reads them; others get them pooled. A peer
/// that is gone, silent past the call timeout, or already on a newer generation makes the send throw
/// <see cref="GroupFaultException"/>. Disposing ends the generation on this slot (its mailbox is dropped).
/// </summary>
public sealed class OrleansPeerTransport : IPeerTransport, IDisposable
{
    private readonly GroupMembership group;
    private readonly Func<string, IGpuWorkerGrain> peerGrain;
    private readonly MailboxLease mailbox;
    private readonly int maxPayloadBytes;
    private readonly CancellationToken stop;

    /// <param name="group">This slot's place in the group (its key is <c>Peers[Rank]</c>).</param>
    /// <param name="peerGrain">The slot grain of a worker key.</param>
    /// <param name="mailbox">This slot's open mailbox of the group's generation (disposed with the transport).</param>
    /// <param name="maxPayloadBytes">The largest payload a message may carry (under the silo's message size limit).</param>
    /// <param name="stop">Cancels every send and receive (the run is being stopped).</param>
    public OrleansPeerTransport(GroupMembership group, Func<string, IGpuWorkerGrain> peerGrain, MailboxLease mailbox,
        int maxPayloadBytes, CancellationToken stop)
    {
        if (mailbox.ExperimentId != group.GroupId || mailbox.Generation != group.Generation)
            throw new ArgumentException($"the mailbox of '{mailbox.ExperimentId}' generation {mailbox.Generation} is not the group's");
        this.group = group;
        this.peerGrain = peerGrain;
        this.mailbox = mailbox;
        this.maxPayloadBytes = maxPayloadBytes;
        this.stop = stop;
    }

    public int Rank => group.Rank;
    public int WorldSize => group.Peers.Count;

    public async Task SendAsync(int toRank, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        string peer = PeerKey(toRank);
        if (payload.Length > maxPayloadBytes)
            throw new ArgumentException(
                $"a collective message of {payload.Length} bytes exceeds the {maxPayloadBytes}-byte limit of the silo's messages " +
                "(lower distributed.chunk_size_mb or raise Cluster:MaxMessageBodyMiB)");
        // Garbage-collected memory goes out as it is; native memory is copied first (see CollectiveMemory).
        byte[]? copy = null;
        if (!CollectiveMemory.OutlivesItsOwner(payload))
        {
            copy = ArrayPool<byte>.Shared.Rent(payload.Length);
            payload.Span.CopyTo(copy);
        }
        var message = new CollectiveMessage(peer, group.GroupId, group.Generation, group.Rank, tag,
            CollectivePayload.Lend(copy is null ? payload : copy.AsMemory(0, payload.Length)));
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stop);
        try
        {
            await peerGrain(peer).Deliver(message).WaitAsync(linked.Token);
            if (copy is not null) ArrayPool<byte>.Shared.Return(copy);
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception error) when (PeerFailure.IsGroupFault(error))
        {
            throw new GroupFaultException(
                $"rank {group.Rank} → rank {toRank} ({peer}) of '{group.GroupId}' generation {group.Generation}: {PeerFailure.Describe(error)}", error);
        }
    }

    /// <summary>The message's bytes in a pooled array (read there by <see cref="CollectiveMessageCodec"/>); disposing
    /// the result returns it.</summary>
    public async Task<IMemoryOwner<byte>> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation)
    {
        PeerKey(fromRank);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stop);
        try
        {
            return await mailbox.ReceiveAsync(fromRank, tag, linked.Token);
        }
        catch (StaleGenerationException error)
        {
            throw Fault(error);
        }
    }

    /// <summary>Posts the receive in this slot's mailbox: a message from another silo is applied to
    /// <paramref name="target"/> as the silo reads it (<see cref="CollectiveMessageCodec"/>), one from this silo when
    /// it is delivered.</summary>
    public async Task ReceiveIntoAsync(int fromRank, long tag, Memory<byte> target, ReceiveOperation operation, CancellationToken cancellation)
    {
        PeerKey(fromRank);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellation, stop);
        try
        {
            await mailbox.ReceiveIntoAsync(fromRank, tag, target, operation, linked.Token);
        }
        catch (StaleGenerationException error)
        {
            throw Fault(error);
        }
    }

    private GroupFaultException Fault(StaleGenerationException error) =>
        new($"rank {group.Rank} of '{group.GroupId}': {error.Message}", error);

    public void Dispose() => mailbox.Dispose();

    private string PeerKey(int rank)
    {
        if (rank < 0 || rank >= group.Peers.Count || rank == group.Rank)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank {group.Rank} of {group.Peers.Count} has no peer {rank}");
        return group.Peers[rank];
    }
}

/// <summary>A slot's place in a group generation: the group (an experiment, or a benchmark), its peers by rank.</summary>
public sealed record GroupMembership(string GroupId, int Generation, int Rank, IReadOnlyList<string> Peers)
{
    public string Self => Peers[Rank];
}
