using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.WireProtocol;

namespace Cluster.Abstractions.Collectives;

/// <summary>
/// Writes a <see cref="CollectivePayload"/> as length-prefixed raw bytes (the wire format of a <c>byte[]</c>) and reads
/// it back into a rented pool array instead of a fresh one: a multi-megabyte chunk would otherwise be a new
/// large-object-heap array per message, zeroed and then collected by full garbage collections.
/// </summary>
[RegisterSerializer]
public sealed class CollectivePayloadCodec : IFieldCodec<CollectivePayload>
{
    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, [AllowNull] Type expectedType,
        [AllowNull] CollectivePayload value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
            return;
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(CollectivePayload), WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)value.Length);
        writer.Write(value.Bytes.Span);
    }

    public CollectivePayload ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
            return ReferenceCodec.ReadReference<CollectivePayload, TInput>(ref reader, field)!;
        field.EnsureWireType(WireType.LengthPrefixed);
        uint length = reader.ReadVarUInt32();
        if (length > Array.MaxLength)
            throw new InvalidOperationException($"a collective payload of {length} bytes is larger than an array can be");
        var rented = ArrayPool<byte>.Shared.Rent((int)length);
        try
        {
            reader.ReadBytes(rented.AsSpan(0, (int)length));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
        var result = CollectivePayload.Owning(rented, (int)length);
        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }
}

/// <summary>A payload is immutable for Orleans (see <see cref="CollectivePayload"/>): copies share it.</summary>
[RegisterCopier]
public sealed class CollectivePayloadCopier : IDeepCopier<CollectivePayload>
{
    public CollectivePayload? DeepCopy(CollectivePayload? input, CopyContext context) => input;
}
