using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using static Cluster.Training.Checkpoints.Pickle.PickleOpcodes;

namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>Emits protocol-2 pickle opcodes, the same ones <c>torch.save</c> writes, without a memo.</summary>
internal sealed class PickleWriter
{
    private readonly MemoryStream _output = new();

    public byte[] ToArray() => _output.ToArray();

    public void WriteProtocol() => Write(Proto, 2);

    public void WriteStop() => Write(Stop);

    public void WriteMark() => Write(Mark);

    public void WriteNone() => Write(None);

    public void WriteBool(bool value) => Write(value ? NewTrue : NewFalse);

    public void WriteInt(long value)
    {
        switch (value)
        {
            case >= 0 and <= byte.MaxValue:
                Write(BinInt1, (byte)value);
                break;
            case >= 0 and <= ushort.MaxValue:
                Write(BinInt2);
                WriteUInt16((ushort)value);
                break;
            case >= int.MinValue and <= int.MaxValue:
                Write(BinInt);
                Span<byte> int32 = stackalloc byte[4];
                BinaryPrimitives.WriteInt32LittleEndian(int32, (int)value);
                _output.Write(int32);
                break;
            default:
                var bytes = new BigInteger(value).ToByteArray(isUnsigned: false, isBigEndian: false);
                Write(Long1, (byte)bytes.Length);
                _output.Write(bytes);
                break;
        }
    }

    public void WriteFloat(double value)
    {
        Write(BinFloat);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteDoubleBigEndian(bytes, value);
        _output.Write(bytes);
    }

    public void WriteString(string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Write(BinUnicode);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(length, (uint)bytes.Length);
        _output.Write(length);
        _output.Write(bytes);
    }

    /// <summary>Python 3 bytes under protocol 2, as pickle itself writes them: <c>_codecs.encode(latin1 text, "latin1")</c>.</summary>
    public void WriteBytes(byte[] value)
    {
        WriteGlobal("_codecs", "encode");
        WriteString(Encoding.Latin1.GetString(value));
        WriteString("latin1");
        Write(Tuple2);
        Write(Reduce);
    }

    public void WriteGlobal(string module, string name)
    {
        Write(Global);
        _output.Write(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));
    }

    public void WriteEmptyTuple() => Write(EmptyTuple);

    /// <summary>Closes a tuple of everything written since the matching <see cref="WriteMark"/>.</summary>
    public void WriteTupleFromMark() => Write(MarkTuple);

    public void WriteEmptyList() => Write(EmptyList);

    public void WriteAppends() => Write(Appends);

    public void WriteEmptyDict() => Write(EmptyDict);

    public void WriteSetItems() => Write(SetItems);

    public void WriteReduce() => Write(Reduce);

    public void WritePersistentId() => Write(BinPersId);

    private void WriteUInt16(ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        _output.Write(bytes);
    }

    private void Write(byte opcode) => _output.WriteByte(opcode);

    private void Write(byte opcode, byte argument)
    {
        _output.WriteByte(opcode);
        _output.WriteByte(argument);
    }
}
