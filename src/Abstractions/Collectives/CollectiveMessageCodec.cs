using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Orleans.Serialization.Buffers;
using Orleans.Serialization.Codecs;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.WireProtocol;

namespace Cluster.Abstractions.Collectives;

/// <summary>
/// Writes a <see cref="CollectiveMessage"/> as one length-prefixed field: its routing (receiver, experiment,
/// generation, sender, tag), then the payload's raw bytes. Reading it, the routing comes first, so the bytes can go
/// where they are wanted: into the receive the receiving slot posted for them (<see cref="ICollectiveReceiveTargets"/>,
/// a silo service), applied a piece at a time as they are read off the connection, or, when none is posted, into a
/// rented pool array instead of a fresh one (a multi-megabyte chunk would otherwise be a new large-object-heap array
/// per message, zeroed and then collected by full garbage collections).
/// </summary>
[RegisterSerializer]
public sealed class CollectiveMessageCodec(IEnumerable<ICollectiveReceiveTargets> targets) : IFieldCodec<CollectiveMessage>
{
    /// <summary>How much of a message is read at a time into a posted receive (small enough to stay in cache).</summary>
    internal const int PieceBytes = 64 * 1024;

    private const int FixedHeaderBytes = sizeof(int) + sizeof(int) + sizeof(int) + sizeof(int) + sizeof(long);

    private readonly ICollectiveReceiveTargets? receives = targets.FirstOrDefault();

    public void WriteField<TBufferWriter>(ref Writer<TBufferWriter> writer, uint fieldIdDelta, [AllowNull] Type expectedType,
        [AllowNull] CollectiveMessage value)
        where TBufferWriter : IBufferWriter<byte>
    {
        if (ReferenceCodec.TryWriteReferenceField(ref writer, fieldIdDelta, expectedType, value))
            return;
        if (value.Payload.WasDelivered)
            throw new InvalidOperationException(
                $"a collective message to {value.To} (tag {value.Tag:x}) was already written into its receive: it cannot be sent on");
        int toBytes = Encoding.UTF8.GetByteCount(value.To);
        int experimentBytes = Encoding.UTF8.GetByteCount(value.ExperimentId);
        long length = (long)FixedHeaderBytes + toBytes + experimentBytes + value.Payload.Length;
        if (length > uint.MaxValue)
            throw new InvalidOperationException($"a collective message of {length} bytes is too large");
        writer.WriteFieldHeader(fieldIdDelta, expectedType, typeof(CollectiveMessage), WireType.LengthPrefixed);
        writer.WriteVarUInt32((uint)length);
        WriteString(ref writer, value.To, toBytes);
        WriteString(ref writer, value.ExperimentId, experimentBytes);
        writer.WriteInt32(value.Generation);
        writer.WriteInt32(value.FromRank);
        writer.WriteInt64(value.Tag);
        writer.Write(value.Payload.Bytes.Span);
    }

    public CollectiveMessage ReadValue<TInput>(ref Reader<TInput> reader, Field field)
    {
        if (field.WireType == WireType.Reference)
            return ReferenceCodec.ReadReference<CollectiveMessage, TInput>(ref reader, field)!;
        field.EnsureWireType(WireType.LengthPrefixed);
        long length = reader.ReadVarUInt32();
        long start = reader.Position;
        string to = ReadString(ref reader, length - (reader.Position - start));
        string experimentId = ReadString(ref reader, length - (reader.Position - start));
        int generation = reader.ReadInt32();
        int fromRank = reader.ReadInt32();
        long tag = reader.ReadInt64();
        long payloadLength = length - (reader.Position - start);
        if (payloadLength < 0 || payloadLength > Array.MaxLength)
            throw new InvalidOperationException($"a collective message to {to} announced {length} bytes but its payload would be {payloadLength}");
        var payload = receives?.Claim(to, experimentId, generation, fromRank, tag, (int)payloadLength) is { } claim
            ? ReadInto(ref reader, claim, (int)payloadLength)
            : ReadPooled(ref reader, (int)payloadLength);
        var result = new CollectiveMessage(to, experimentId, generation, fromRank, tag, payload);
        ReferenceCodec.RecordObject(reader.Session, result);
        return result;
    }

    private static void WriteString<TBufferWriter>(ref Writer<TBufferWriter> writer, string value, int byteCount)
        where TBufferWriter : IBufferWriter<byte>
    {
        writer.WriteInt32(byteCount);
        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        int written = Encoding.UTF8.GetBytes(value, rented);
        writer.Write(rented.AsSpan(0, written));
        ArrayPool<byte>.Shared.Return(rented);
    }

    private static string ReadString<TInput>(ref Reader<TInput> reader, long bytesLeft)
    {
        int byteCount = reader.ReadInt32();
        if (byteCount < 0 || byteCount > bytesLeft - sizeof(int))
            throw new InvalidOperationException($"a collective message announced a {byteCount}-byte name with {bytesLeft - sizeof(int)} bytes left");
        var rented = ArrayPool<byte>.Shared.Rent(byteCount);
        try
        {
            reader.ReadBytes(rented.AsSpan(0, byteCount));
            return Encoding.UTF8.GetString(rented, 0, byteCount);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>Reads the bytes a piece at a time into the claimed receive. A receive that cannot take them fails,
    /// and the rest of the message is still read, so the connection's stream stays in step.</summary>
    private static CollectivePayload ReadInto<TInput>(ref Reader<TInput> reader, ClaimedReceive claim, int length)
    {
        byte[]? piece = null;
        Exception? failure = null;
        try
        {
            piece = ArrayPool<byte>.Shared.Rent(PieceBytes);
            for (int offset = 0; offset < length; offset += PieceBytes)
            {
                var bytes = piece.AsSpan(0, Math.Min(PieceBytes, length - offset));
                reader.ReadBytes(bytes);
                if (failure is not null) continue;
                try
                {
                    claim.Write(offset, bytes);
                }
                catch (Exception error)
                {
                    failure = error;
                }
            }
        }
        catch (Exception error)
        {
            claim.Finish(error);
            throw;
        }
        finally
        {
            if (piece is not null) ArrayPool<byte>.Shared.Return(piece);
        }
        claim.Finish(failure);
        return CollectivePayload.Delivered(length);
    }

    private static CollectivePayload ReadPooled<TInput>(ref Reader<TInput> reader, int length)
    {
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            reader.ReadBytes(rented.AsSpan(0, length));
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(rented);
            throw;
        }
        return CollectivePayload.Owning(rented, length);
    }
}

/// <summary>A message is immutable for Orleans (see <see cref="CollectivePayload"/>): copies share it.</summary>
[RegisterCopier]
public sealed class CollectiveMessageCopier : IDeepCopier<CollectiveMessage>
{
    public CollectiveMessage? DeepCopy(CollectiveMessage? input, CopyContext context) => input;
}
