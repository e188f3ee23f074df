using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// NCCL's <c>ncclUniqueId</c>: 128 opaque bytes (<c>NCCL_UNIQUE_ID_BYTES</c>) that rank 0 creates with
/// <c>ncclGetUniqueId</c> and every rank passes, by value, to <c>ncclCommInitRank</c>. Blittable, so it crosses the
/// native boundary as is; <see cref="ToBytes"/>/<see cref="FromBytes"/> carry it through the experiment's rendezvous.
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = Length)]
public unsafe struct NcclUniqueId : IEquatable<NcclUniqueId>
{
    public const int Length = 128;

    private fixed byte bytes[Length];

    public static NcclUniqueId FromBytes(ReadOnlySpan<byte> source)
    {
        if (source.Length != Length)
            throw new ArgumentException($"an NCCL unique id is {Length} bytes, got {source.Length}", nameof(source));
        var id = default(NcclUniqueId);
        source.CopyTo(new Span<byte>(id.bytes, Length));
        return id;
    }

    public readonly byte[] ToBytes()
    {
        fixed (byte* p = bytes) return new ReadOnlySpan<byte>(p, Length).ToArray();
    }

    public readonly bool Equals(NcclUniqueId other)
    {
        fixed (byte* p = bytes)
            return new ReadOnlySpan<byte>(p, Length).SequenceEqual(new ReadOnlySpan<byte>(other.bytes, Length));
    }

    public override readonly bool Equals(object? obj) => obj is NcclUniqueId other && Equals(other);

    public override readonly int GetHashCode()
    {
        var hash = new HashCode();
        fixed (byte* p = bytes) hash.AddBytes(new ReadOnlySpan<byte>(p, Length));
        return hash.ToHashCode();
    }
}
