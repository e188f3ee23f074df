using System.Buffers;

namespace Cluster.Abstractions.Collectives;

/// <summary>
/// The bytes of a <see cref="CollectiveMessage"/>, moved without per-message garbage. A sender lends memory it keeps
/// unchanged until its call completed (<see cref="Lend"/>); the receiving silo's <see cref="CollectivePayloadCodec"/>
/// reads the bytes straight into an <see cref="ArrayPool{T}"/> array that the payload then owns. The receiver
/// <see cref="Take"/>s the bytes and returns the array by disposing what it took.
/// <para>Immutable for Orleans, so a call is not deep-copied: a call between two slots of one silo hands the sender's
/// lent payload itself to the receiver, and <see cref="Take"/> then copies it (the sender may reuse its memory as soon
/// as the call returned).</para>
/// </summary>
[Immutable]
public sealed class CollectivePayload
{
    private readonly bool pooled;
    private byte[]? rented;

    private CollectivePayload(ReadOnlyMemory<byte> bytes, byte[]? rented)
    {
        Bytes = bytes;
        this.rented = rented;
        pooled = rented is not null;
    }

    /// <summary>The payload's bytes (of a pooled payload: only until it was taken).</summary>
    public ReadOnlyMemory<byte> Bytes { get; }

    public int Length => Bytes.Length;

    /// <summary>A payload over the caller's memory, which must not change before the call that carries it completed.</summary>
    public static CollectivePayload Lend(ReadOnlyMemory<byte> bytes) => new(bytes, null);

    /// <summary>A payload that owns a rented pool array whose first <paramref name="length"/> bytes are its bytes.</summary>
    internal static CollectivePayload Owning(byte[] rented, int length) => new(rented.AsMemory(0, length), rented);

    /// <summary>
    /// The bytes, owned by the caller until it disposes the result (which returns them to the pool): a pooled payload
    /// hands over its own array, once; a lent one is copied into a pooled array.
    /// </summary>
    public IMemoryOwner<byte> Take()
    {
        if (!pooled)
            return PooledBytes.CopyOf(Bytes.Span);
        var own = Interlocked.Exchange(ref rented, null)
                  ?? throw new InvalidOperationException("this collective payload was already taken");
        return new PooledBytes(own, Bytes.Length);
    }
}
