using System.Buffers;
using System.Runtime.InteropServices;
using Cluster.Abstractions.Collectives;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cluster.Tests.Collectives;

/// <summary>
/// A collective message through Orleans' serializer: its payload comes back as the same bytes in a pooled array (what
/// a remote Deliver call receives), which the receiver takes once and hands back to the pool exactly once.
/// </summary>
public class CollectivePayloadCodecTests
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

    [Fact]
    public void APayloadRoundTripsIntoAPooledArrayWithTheSameBytes()
    {
        var sent = Pattern();
        var received = RoundTrip(new CollectiveMessage("exp", 3, 1, 42, CollectivePayload.Lend(sent.AsMemory(0, Length))));

        Assert.Equal(("exp", 3, 1, 42L), (received.ExperimentId, received.Generation, received.FromRank, received.Tag));
        using var owner = received.Payload.Take();
        Assert.Equal(sent, owner.Memory.ToArray());
        Assert.True(MemoryMarshal.TryGetArray<byte>(owner.Memory, out var segment));
        Assert.True(segment.Array!.Length > Length, $"a rented array is a pool bucket, got {segment.Array.Length} bytes");
    }

    [Fact]
    public void EmptyAndSlicedPayloadsKeepTheirExactBytes()
    {
        var sent = Pattern();
        var empty = RoundTrip(new CollectiveMessage("exp", 1, 0, 0, CollectivePayload.Lend(ReadOnlyMemory<byte>.Empty)));
        using (var owner = empty.Payload.Take()) Assert.Equal(0, owner.Memory.Length);

        var slice = RoundTrip(new CollectiveMessage("exp", 1, 0, 1, CollectivePayload.Lend(sent.AsMemory(100, 1000))));
        using (var owner = slice.Payload.Take()) Assert.Equal(sent[100..1100], owner.Memory.ToArray());
    }

    [Fact]
    public void APooledPayloadIsTakenOnceAndItsArrayReturnedOnce()
    {
        var received = RoundTrip(new CollectiveMessage("exp", 1, 0, 0, CollectivePayload.Lend(Pattern())));
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
