using Cluster.Abstractions.Collectives;
using Cluster.Grains.Collectives;
using Cluster.Grains.Workers;
using Cluster.Training.Distributed;
using Microsoft.Extensions.Options;

namespace Cluster.Tests.Collectives;

public class CollectiveMailboxesTests
{
    private const string Slot = "127.0.0.1:11111@1/cpu:0";
    private readonly CollectiveMailboxes mailboxes = new(Options.Create(new WorkerOptions { MaxEarlyCollectiveBytes = 10 }));

    private static CollectiveMessage Message(int generation, int from, long tag, params byte[] payload) =>
        new(Slot, "exp", generation, from, tag, CollectivePayload.Lend(payload));

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
        mailboxes.Deliver(Slot, new CollectiveMessage(Slot, "other", 1, 1, 0, CollectivePayload.Lend(new byte[8])));
        var full = Assert.Throws<CollectiveBufferFullException>(() => mailboxes.Deliver(Slot, new CollectiveMessage(Slot, "other", 1, 1, 1, CollectivePayload.Lend(new byte[3]))));
        Assert.Contains("'other'", full.Message);
    }

    private static byte[] Floats(params float[] values) => System.Runtime.InteropServices.MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    private static float[] AsFloats(byte[] bytes) => System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(bytes).ToArray();

    [Fact]
    public async Task APostedReceiveAppliesItsMessageWhetherItArrivedBeforeOrAfter()
    {
        using var lease = mailboxes.Open(Slot, "exp", 1);
        var sum = Floats(1, 2);
        var copy = Floats(5, 5);
        mailboxes.Deliver(Slot, Message(1, from: 1, tag: 2, Floats(7, 8)));
        var added = lease.ReceiveIntoAsync(1, 1, sum, ReceiveOperation.Add, CancellationToken.None);
        var copied = lease.ReceiveIntoAsync(1, 2, copy, ReceiveOperation.Copy, CancellationToken.None);
        Assert.False(added.IsCompleted);
        mailboxes.Deliver(Slot, Message(1, from: 1, tag: 1, Floats(10, 20)));

        await Task.WhenAll(added, copied);
        Assert.Equal([11f, 22f], AsFloats(sum));
        Assert.Equal([7f, 8f], AsFloats(copy));
    }

    [Fact]
    public async Task AClaimedReceiveIsWrittenByItsReaderAndTheDeliveredMessageIsThenANoOp()
    {
        using var lease = mailboxes.Open(Slot, "exp", 1);
        var target = Floats(1, 1, 1);
        var receive = lease.ReceiveIntoAsync(1, 4, target, ReceiveOperation.Add, CancellationToken.None);
        Assert.Null(mailboxes.Claim(Slot, "exp", 1, fromRank: 1, tag: 4, length: 8)); // another length: read pooled
        Assert.Null(mailboxes.Claim(Slot, "exp", 2, fromRank: 1, tag: 4, length: 12)); // another generation
        Assert.Null(mailboxes.Claim("other-slot", "exp", 1, fromRank: 1, tag: 4, length: 12));

        var claim = mailboxes.Claim(Slot, "exp", 1, fromRank: 1, tag: 4, length: 12)!;
        Assert.Null(mailboxes.Claim(Slot, "exp", 1, fromRank: 1, tag: 4, length: 12)); // claimed once
        claim.Write(0, Floats(2, 3));
        Assert.False(receive.IsCompleted);
        claim.Write(8, Floats(4));
        claim.Finish(null);
        await receive;
        Assert.Equal([3f, 4f, 5f], AsFloats(target));

        var delivered = new CollectiveMessage(Slot, "exp", 1, 1, 4, CollectivePayload.Lend(Floats(9, 9, 9)));
        mailboxes.Deliver(Slot, CollectiveMessageCodecTests.AsDelivered(delivered));
        Assert.Equal([3f, 4f, 5f], AsFloats(target));
    }

    [Fact]
    public async Task AMessageReadIntoItsReceiveIsAcceptedEvenAfterTheReceivingRunEndedItsGeneration()
    {
        // The reader completes the receive before the message's Deliver turn runs; by then the receiving rank may
        // have finished its collective and ended the generation. Its sender must not see that as a stale message.
        var lease = mailboxes.Open(Slot, "exp", 1);
        var receive = lease.ReceiveIntoAsync(1, 4, new byte[4], ReceiveOperation.Copy, CancellationToken.None);
        var claim = mailboxes.Claim(Slot, "exp", 1, fromRank: 1, tag: 4, length: 4)!;
        claim.Write(0, Floats(1));
        claim.Finish(null);
        await receive;
        lease.Dispose();

        mailboxes.Deliver(Slot, CollectiveMessageCodecTests.AsDelivered(Message(1, 1, 4, Floats(1))));
        Assert.Throws<StaleGenerationException>(() => mailboxes.Deliver(Slot, Message(1, 1, 5, Floats(1))));
    }

    [Fact]
    public async Task AMessageOfAnotherLengthFailsItsPostedReceiveAndACancelledOneLeavesItsTargetAlone()
    {
        using var lease = mailboxes.Open(Slot, "exp", 1);
        var wrong = lease.ReceiveIntoAsync(1, 1, new byte[8], ReceiveOperation.Copy, CancellationToken.None);
        mailboxes.Deliver(Slot, Message(1, 1, 1, 1, 2, 3));
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => wrong);
        Assert.Equal("rank 1 sent 3 bytes for tag 1, expected 8", error.Message);

        using var stop = new CancellationTokenSource();
        var target = Floats(1);
        var cancelled = lease.ReceiveIntoAsync(1, 2, target, ReceiveOperation.Copy, stop.Token);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        Assert.Null(mailboxes.Claim(Slot, "exp", 1, 1, 2, 4));
        mailboxes.Deliver(Slot, Message(1, 1, 2, Floats(9)));
        Assert.Equal([1f], AsFloats(target));
        Assert.Equal(Floats(9), await Bytes(lease.ReceiveAsync(1, 2, CancellationToken.None)));
    }

    [Fact]
    public async Task EndingTheRunFailsPostedReceivesAndWaitsForAReceiveBeingWritten()
    {
        var lease = mailboxes.Open(Slot, "exp", 1);
        var posted = lease.ReceiveIntoAsync(1, 1, new byte[4], ReceiveOperation.Copy, CancellationToken.None);
        var writing = lease.ReceiveIntoAsync(1, 2, new byte[4], ReceiveOperation.Copy, CancellationToken.None);
        var claim = mailboxes.Claim(Slot, "exp", 1, 1, 2, 4)!;

        var ended = Task.Run(lease.Dispose);
        await Assert.ThrowsAsync<StaleGenerationException>(() => posted.WaitAsync(TimeSpan.FromSeconds(10)));
        await Task.Delay(300);
        Assert.False(ended.IsCompleted, "the run ended while a message was still being written into its buffer");
        claim.Write(0, Floats(1));
        claim.Finish(null);
        await ended.WaitAsync(TimeSpan.FromSeconds(10));
        await writing;
    }

    [Fact]
    public void AMessageHandedToAnotherSlotIsRefused()
    {
        using var lease = mailboxes.Open(Slot, "exp", 1);
        var error = Assert.Throws<ArgumentException>(() =>
            mailboxes.Deliver(Slot, new CollectiveMessage("other-slot", "exp", 1, 1, 0, CollectivePayload.Lend(new byte[4]))));
        Assert.StartsWith($"worker {Slot} was handed a collective message for other-slot", error.Message);
    }
}
