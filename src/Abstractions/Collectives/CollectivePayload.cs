using System.Buffers;

namespace Cluster.Abstractions.Collectives;

/// <summary>
/// The bytes of a <see cref="CollectiveMessage"/>, moved without per-message garbage. A sender lends memory it keeps
/// unchanged until its call completed (<see cref="Lend"/>). The receiving silo's <see cref="CollectiveMessageCodec"/>
/// writes the bytes into the receive posted for them, if there is one (the payload then only says so:
/// <see cref="WasDelivered"/>), or else into an <see cref="ArrayPool{T}"/> array that the payload then owns. The
/// receiver <see cref="Take"/>s those bytes and returns the array by disposing what it took.
/// <para>Immutable for Orleans, so a call is not deep-copied: a call between two slots of one silo hands the sender's
/// lent payload itself to the receiver, and <see cref="Take"/> then copies it (the sender may reuse its memory as soon
/// as the call returned).</para>
/// </summary>
[Immutable]
public sealed class CollectivePayload
{
    private readonly bool pooled;
    private byte[]? rented;

    private CollectivePayload(ReadOnlyMemory<byte> bytes, byte[]? rented, int length, bool delivered)
    {
        Bytes = bytes;
        this.rented = rented;
        pooled = rented is not null;
        Length = length;
        WasDelivered = delivered;
    }

    /// <summary>The payload's bytes (of a pooled payload: only until it was taken; of a delivered one: none).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Length { get; }

    /// <summary>The bytes were written into the receive posted for them as the message was read: nothing to take.</summary>
    public bool WasDelivered { get; }

    /// <summary>A payload over the caller's memory, which must not change before the call that carries it completed.</summary>
    public static CollectivePayload Lend(ReadOnlyMemory<byte> bytes) => new(bytes, null, bytes.Length, delivered: false);

    /// <summary>A payload that owns a rented pool array whose first <paramref name="length"/> bytes are its bytes.</summary>
    internal static CollectivePayload Owning(byte[] rented, int length) => new(rented.AsMemory(0, length), rented, length, delivered: false);

    /// <summary>A payload of <paramref name="length"/> bytes already written into its posted receive.</summary>
    internal static CollectivePayload Delivered(int length) => new(ReadOnlyMemory<byte>.Empty, null, length, delivered: true);

    /// <summary>
    /// The bytes, owned by the caller until it disposes the result (which returns them to the pool): a pooled payload
    /// hands over its own array, once; a lent one is copied into a pooled array.
    /// </summary>
    public IMemoryOwner<byte> Take()
    {
        if (WasDelivered)
            throw new InvalidOperationException("this collective payload was written into its posted receive: there are no bytes to take");
        if (!pooled)
            return PooledBytes.CopyOf(Bytes.Span);
        var own = Interlocked.Exchange(ref rented, null)
                  ?? throw new InvalidOperationException("this collective payload was already taken");
        return new PooledBytes(own, Bytes.Length);
    }
}
