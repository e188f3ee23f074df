using System.Buffers;
using System.Runtime.InteropServices;
using Cluster.Abstractions.Collectives;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cluster.Tests.Collectives;

/// <summary>
/// A collective message through Orleans' serializer: its payload comes back as the same bytes in a pooled array (what
/// a remote Deliver call receives), which the receiver takes once and hands back to the pool exactly once; or, when
/// the receiving silo has a receive posted for it, written straight into that receive as it is read.
/// </summary>
public class CollectiveMessageCodecTests
{
    private const int Length = 700 * 1024; // not a power of two: a fresh array would be exactly this long

    private static readonly Serializer Serializer =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    private static byte[] Pattern()
    {
        var bytes = new byte[Length];
        for (int i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i * 31 + 7);
        return bytes;
    }

    private static CollectiveMessage RoundTrip(CollectiveMessage message) =>
        Serializer.Deserialize<CollectiveMessage>(Serializer.SerializeToArray(message))!;

    /// <summary>Reads messages on a "silo" whose posted receives are <paramref name="targets"/>.</summary>
    private static CollectiveMessage ReadOn(ICollectiveReceiveTargets targets, CollectiveMessage message)
    {
        var silo = new ServiceCollection().AddSerializer().AddSingleton(targets).BuildServiceProvider().GetRequiredService<Serializer>();
        return silo.Deserialize<CollectiveMessage>(Serializer.SerializeToArray(message))!;
    }

    /// <summary><paramref name="message"/> as a silo delivers it after writing it into its posted receive.</summary>
    internal static CollectiveMessage AsDelivered(CollectiveMessage message)
    {
        var claim = new RecordingClaim(message.Payload.Length);
        var delivered = ReadOn(new ClaimEverything(claim), message);
        Assert.True(claim.Finished);
        return delivered;
    }

    /// <summary>Posted receives as a test sees them: the first message read is claimed by one recording claim.</summary>
    private sealed class ClaimEverything(RecordingClaim claim) : ICollectiveReceiveTargets
    {
        public List<string> Asked { get; } = [];

        public ClaimedReceive? Claim(string to, string experimentId, int generation, int fromRank, long tag, int length)
        {
            Asked.Add($"{to} {experimentId} {generation} {fromRank} {tag} {length}");
            return Asked.Count == 1 ? claim : null;
        }
    }

    private sealed class RecordingClaim(int length, int failAtOffset = -1) : ClaimedReceive
    {
        public byte[] Bytes { get; } = new byte[length];
        public List<(int Offset, int Length)> Pieces { get; } = [];
        public bool Finished { get; private set; }
        public Exception? Error { get; private set; }

        public override void Write(int offset, ReadOnlySpan<byte> bytes)
        {
            if (offset == failAtOffset) throw new InvalidOperationException("the receive's buffer is gone");
            Pieces.Add((offset, bytes.Length));
            bytes.CopyTo(Bytes.AsSpan(offset));
        }

        public override void Finish(Exception? error)
        {
            Assert.False(Finished, "a claim is finished once");
            (Finished, Error) = (true, error);
        }
    }

    [Fact]
    public void AMessageWithAPostedReceiveIsWrittenIntoItPieceByPieceAndCarriesNoBytes()
    {
        var sent = Pattern();
        var claim = new RecordingClaim(Length);
        var targets = new ClaimEverything(claim);
        var received = ReadOn(targets, new CollectiveMessage("slot-2", "exp", 3, 1, 42, CollectivePayload.Lend(sent)));

        Assert.Equal(["slot-2 exp 3 1 42 716800"], targets.Asked);
        Assert.Equal(sent, claim.Bytes);
        Assert.Equal(Enumerable.Range(0, 11).Select(i => (i * 65536, Math.Min(65536, Length - i * 65536))), claim.Pieces);
        Assert.True(claim.Finished);
        Assert.Null(claim.Error);
        Assert.Equal(("slot-2", "exp", 3, 1, 42L, Length), (received.To, received.ExperimentId, received.Generation, received.FromRank, received.Tag, received.Payload.Length));
        Assert.True(received.Payload.WasDelivered);
        Assert.Throws<InvalidOperationException>(() => received.Payload.Take());
        var resend = Assert.Throws<InvalidOperationException>(() => Serializer.SerializeToArray(received));
        Assert.Contains("already written into its receive", resend.Message);
    }

    [Fact]
    public void AReceiveThatCannotTakeTheBytesFailsAndTheRestOfTheMessageIsStillRead()
    {
        var claim = new RecordingClaim(Length, failAtOffset: 2 * 65536);
        var silo = new ServiceCollection().AddSerializer().AddSingleton<ICollectiveReceiveTargets>(new ClaimEverything(claim))
            .BuildServiceProvider().GetRequiredService<Serializer>();
        // Two messages back to back in one stream: the second is read whole although the first's receive failed.
        var pair = Serializer.SerializeToArray(new[]
        {
            new CollectiveMessage("slot", "exp", 1, 0, 1, CollectivePayload.Lend(Pattern())),
            new CollectiveMessage("slot", "exp", 1, 0, 2, CollectivePayload.Lend(new byte[] { 1, 2, 3 })),
        });
        var read = silo.Deserialize<CollectiveMessage[]>(pair)!;

        Assert.Equal("the receive's buffer is gone", claim.Error?.Message);
        Assert.Equal([(0, 65536), (65536, 65536)], claim.Pieces);
        Assert.Equal((2L, false), (read[1].Tag, read[1].Payload.WasDelivered));
        using var second = read[1].Payload.Take();
        Assert.Equal([1, 2, 3], second.Memory.ToArray());
    }

    [Fact]
    public void APayloadRoundTripsIntoAPooledArrayWithTheSameBytes()
    {
        var sent = Pattern();
        var received = RoundTrip(new CollectiveMessage("slot", "exp", 3, 1, 42, CollectivePayload.Lend(sent.AsMemory(0, Length))));

        Assert.Equal(("slot", "exp", 3, 1, 42L), (received.To, received.ExperimentId, received.Generation, received.FromRank, received.Tag));
        using var owner = received.Payload.Take();
        Assert.Equal(sent, owner.Memory.ToArray());
        Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        Assert.True(segment.Array!.Length > Length, $"a rented array is a pool bucket, got {segment.Array.Length} bytes");
    }

    [Fact]
    public void EmptyAndSlicedPayloadsKeepTheirExactBytes()
    {
        var sent = Pattern();
        var empty = RoundTrip(new CollectiveMessage("slot", "exp", 1, 0, 0, CollectivePayload.Lend(ReadOnlyMemory<byte>.Empty)));
        using (var owner = empty.Payload.Take()) Assert.Equal(0, owner.Memory.Length);

        var slice = RoundTrip(new CollectiveMessage("slot", "exp", 1, 0, 1, CollectivePayload.Lend(sent.AsMemory(100, 1000))));
        using (var owner = slice.Payload.Take()) Assert.Equal(sent[100..1100], owner.Memory.ToArray());
    }

    [Fact]
    public void APooledPayloadIsTakenOnceAndItsArrayReturnedOnce()
    {
        var received = RoundTrip(new CollectiveMessage("slot", "exp", 1, 0, 0, CollectivePayload.Lend(Pattern())));
        var owner = received.Payload.Take();
        Assert.Throws<InvalidOperationException>(() => received.Payload.Take());
        Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        var array = segment.Array!;

        owner.Dispose();
        owner.Dispose(); // a second dispose must not hand the array to the pool again
        Assert.Throws<ObjectDisposedException>(() => owner.Memory);

        // The pool hands a returned array to the next rent on this thread; had it been returned twice, the second rent
        // would get it again although the first still holds it.
        var first = ArrayPool<byte>.Shared.Rent(Length);
        var second = ArrayPool<byte>.Shared.Rent(Length);
        try
        {
            Assert.Same(array, first);
            Assert.NotSame(first, second);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(second);
            ArrayPool<byte>.Shared.Return(first);
        }
    }

    [Fact]
    public void ALentPayloadIsCopiedWhenTaken()
    {
        var sent = Pattern();
        var lent = CollectivePayload.Lend(sent);
        using var first = lent.Take();
        using var second = lent.Take();
        sent[0] ^= 0xFF; // the sender reuses its memory after the (local) call returned
        Assert.Equal(Pattern(), first.Memory.ToArray());
        Assert.Equal(Pattern(), second.Memory.ToArray());
    }
}
