using Cluster.Abstractions.Collectives;
using Cluster.Grains.Collectives;
using Cluster.Grains.Workers;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Collectives;

public class CollectiveMailboxesTests
{
    private const string Slot = "127.0.0.1:11111@1/cpu:0";
    private readonly CollectiveMailboxes mailboxes = new(Options.Create(new WorkerOptions { MaxEarlyCollectiveBytes = 10 }));

    private static CollectiveMessage Message(int generation, int from, long tag, params byte[] payload) =>
        new("exp", generation, from, tag, CollectivePayload.Lend(payload));

    /// <summary>The bytes of a received message, whose pooled buffer is then returned.</summary>
    internal static async Task<byte[]> Bytes(Task<System.Buffers.IMemoryOwner<byte>> received)
    {
        using var owner = await received;
        return owner.Memory.ToArray();
    }

    [Fact]
    public async Task MessagesAreMatchedBySenderAndTagWhateverTheirOrder()
    {
        using var lease = mailboxes.Open(Slot, "exp", 1);
        var waitingForTag1 = lease.ReceiveAsync(fromRank: 1, tag: 1, CancellationToken.None);
        mailboxes.Deliver(Slot, Message(1, from: 1, tag: 2, 20));
        mailboxes.Deliver(Slot, Message(1, from: 2, tag: 1, 30));
        Assert.False(waitingForTag1.IsCompleted);
        mailboxes.Deliver(Slot, Message(1, from: 1, tag: 1, 10));

        Assert.Equal([10], await Bytes(waitingForTag1));
        Assert.Equal([20], await Bytes(lease.ReceiveAsync(1, 2, CancellationToken.None)));
        Assert.Equal([30], await Bytes(lease.ReceiveAsync(2, 1, CancellationToken.None)));
    }

    [Fact]
    public async Task MessagesOfAGenerationNotStartedYetWaitForIt()
    {
        var first = mailboxes.Open(Slot, "exp", 1);
        mailboxes.Deliver(Slot, Message(2, from: 1, tag: 7, 1, 2, 3));
        first.Dispose();

        using var second = mailboxes.Open(Slot, "exp", 2);
        Assert.Equal([1, 2, 3], await Bytes(second.ReceiveAsync(1, 7, CancellationToken.None)));
    }

    [Fact]
    public void MessagesOfAnOlderGenerationThanTheSlotsAreRefused()
    {
        var second = mailboxes.Open(Slot, "exp", 2);
        Assert.Throws<StaleGenerationException>(() => mailboxes.Deliver(Slot, Message(1, 1, 0, 1)));
        second.Dispose();
        // Ended: neither its own generation nor an older one is buffered for later.
        Assert.Throws<StaleGenerationException>(() => mailboxes.Deliver(Slot, Message(2, 1, 0, 1)));
        Assert.Throws<StaleGenerationException>(() => mailboxes.Open(Slot, "exp", 1));
        Assert.Equal(0, mailboxes.Count);
    }

    [Fact]
    public async Task CancellationAndTheRunsEndUnblockAWaitingReceive()
    {
        var lease = mailboxes.Open(Slot, "exp", 1);
        using var stop = new CancellationTokenSource();
        var cancelled = lease.ReceiveAsync(1, 0, stop.Token);
        var ended = lease.ReceiveAsync(1, 1, CancellationToken.None);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);

        lease.Dispose();
        await Assert.ThrowsAsync<StaleGenerationException>(() => ended);
    }

    [Fact]
    public void EndedRunsAndSupersededBuffersLeaveNothingBehind()
    {
        var lease = mailboxes.Open(Slot, "exp", 1);
        mailboxes.Deliver(Slot, Message(1, 1, 0, 1, 2)); // never received
        mailboxes.Deliver(Slot, Message(2, 1, 0, 1)); // early for generation 2, which never starts here
        mailboxes.Deliver(Slot, Message(3, 1, 0, 1)); // early for generation 3
        Assert.Equal(3, mailboxes.Count);

        lease.Dispose();
        Assert.Equal(2, mailboxes.Count);
        mailboxes.Open(Slot, "exp", 3).Dispose(); // drops generation 2's buffer, adopts and then ends generation 3's
        Assert.Equal(0, mailboxes.Count);
    }

    [Fact]
    public void BufferingForGenerationsNotStartedIsBounded()
    {
        mailboxes.Deliver(Slot, new CollectiveMessage("other", 1, 1, 0, CollectivePayload.Lend(new byte[8])));
        var full = Assert.Throws<CollectiveBufferFullException>(() => mailboxes.Deliver(Slot, new CollectiveMessage("other", 1, 1, 1, CollectivePayload.Lend(new byte[3]))));
        Assert.Contains("'other'", full.Message);
    }
}
