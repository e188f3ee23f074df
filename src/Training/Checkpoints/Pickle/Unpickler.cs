using System.Buffers.Binary;
using System.Numerics;
using System.Text;
using static Cluster.Training.Checkpoints.Pickle.PickleOpcodes;

namespace Cluster.Training.Checkpoints.Pickle;

/// <summary>
/// The subset of Python's pickle virtual machine that <c>torch.save</c> output needs (binary protocols 2–5).
/// Values: dict → <see cref="Dictionary{TKey,TValue}"/> of object keys (see <see cref="PickleTree.Normalize"/>),
/// list/set → <see cref="List{T}"/>, tuple → object?[], int → long, float → double, str → string, bytes → byte[],
/// bool, None → null; classes and persistent ids are left to an <see cref="IPickleResolver"/>.
/// </summary>
internal sealed class Unpickler
{
    private readonly byte[] _data;
    private readonly IPickleResolver _resolver;
    private readonly List<object?> _stack = new();
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = new();
    private int _position;

    private Unpickler(byte[] data, IPickleResolver resolver)
    {
        _data = data;
        _resolver = resolver;
    }

    public static object? Load(byte[] data, IPickleResolver resolver) =>
        PickleTree.Normalize(new Unpickler(data, resolver).Run());

    private object? Run()
    {
        while (true)
        {
            int at = _position;
            byte opcode = ReadByte();
            if (opcode == Stop)
            {
                if (_stack.Count != 1)
                {
                    throw new PickleException($"pickle stopped with {_stack.Count} values on the stack at byte {at}");
                }
                return _stack[0];
            }
            Execute(opcode, at);
        }
    }

    private void Execute(byte opcode, int at)
    {
        switch (opcode)
        {
            case Proto: ReadByte(); break;
            case Frame: Read(8); break;
            case Mark: _marks.Push(_stack.Count); break;
            case Pop: PopValue(); break;
            case PopMark: PopToMark(); break;
            case Dup: Push(Peek()); break;
            case None: Push(null); break;
            case NewTrue: Push(true); break;
            case NewFalse: Push(false); break;
            case BinInt: Push((long)BinaryPrimitives.ReadInt32LittleEndian(Read(4))); break;
            case BinInt1: Push((long)ReadByte()); break;
            case BinInt2: Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Read(2))); break;
            case Long1: Push(DecodeLong(Read(ReadByte()), at)); break;
            case Long4: Push(DecodeLong(Read(ReadLength(4)), at)); break;
            case BinFloat: Push(BinaryPrimitives.ReadDoubleBigEndian(Read(8))); break;
            case ShortBinUnicode: Push(Encoding.UTF8.GetString(Read(ReadByte()))); break;
            case BinUnicode: Push(Encoding.UTF8.GetString(Read(ReadLength(4)))); break;
            case BinUnicode8: Push(Encoding.UTF8.GetString(Read(ReadLength(8)))); break;
            case ShortBinString: Push(Encoding.Latin1.GetString(Read(ReadByte()))); break;
            case BinString: Push(Encoding.Latin1.GetString(Read(ReadLength(4)))); break;
            case ShortBinBytes: Push(Read(ReadByte()).ToArray()); break;
            case BinBytes: Push(Read(ReadLength(4)).ToArray()); break;
            case BinBytes8:
            case ByteArray8: Push(Read(ReadLength(8)).ToArray()); break;
            case EmptyDict: Push(new Dictionary<object, object?>()); break;
            case EmptyList:
            case EmptySet: Push(new List<object?>()); break;
            case EmptyTuple: Push(Array.Empty<object?>()); break;
            case MarkTuple: Push(PopToMark().ToArray()); break;
            case Tuple1: Push(PopMany(1)); break;
            case Tuple2: Push(PopMany(2)); break;
            case Tuple3: Push(PopMany(3)); break;
            case MarkList:
            case FrozenSet: Push(PopToMark()); break;
            case MarkDict: Push(FillDictionary(new Dictionary<object, object?>(), PopToMark(), at)); break;
            case Append: AppendTo(PopValue(), at); break;
            case Appends:
            case AddItems: AppendAll(PopToMark(), at); break;
            case SetItem:
                {
                    var value = PopValue();
                    var key = PopValue();
                    FillDictionary(PeekDictionary(at), [key, value], at);
                    break;
                }
            case SetItems:
                {
                    var items = PopToMark();
                    FillDictionary(PeekDictionary(at), items, at);
                    break;
                }
            case BinPut: _memo[ReadByte()] = Peek(); break;
            case LongBinPut: _memo[BinaryPrimitives.ReadUInt32LittleEndian(Read(4))] = Peek(); break;
            case Memoize: _memo[_memo.Count] = Peek(); break;
            case BinGet: Push(FromMemo(ReadByte(), at)); break;
            case LongBinGet: Push(FromMemo(BinaryPrimitives.ReadUInt32LittleEndian(Read(4)), at)); break;
            case Global:
                {
                    var module = ReadLine();
                    var name = ReadLine();
                    Push(_resolver.ResolveGlobal(module, name));
                    break;
                }
            case StackGlobal:
                {
                    var name = PopValue() as string;
                    var module = PopValue() as string;
                    if (module is null || name is null)
                    {
                        throw new PickleException($"STACK_GLOBAL without module and name strings at byte {at}");
                    }
                    Push(_resolver.ResolveGlobal(module, name));
                    break;
                }
            case Reduce:
            case NewObj:
                {
                    var args = PopValue();
                    var callable = PopValue();
                    Push(Call(callable, args, at));
                    break;
                }
            case NewObjEx:
                {
                    var kwargs = PopValue();
                    var args = PopValue();
                    var callable = PopValue();
                    if (kwargs is not Dictionary<object, object?> { Count: 0 })
                    {
                        throw new PickleException($"NEWOBJ_EX with keyword arguments is not supported (byte {at})");
                    }
                    Push(Call(callable, args, at));
                    break;
                }
            case Build:
                {
                    var state = PopValue();
                    SetState(Peek(), state, at);
                    break;
                }
            case BinPersId: Push(_resolver.PersistentLoad(PopValue())); break;
            default:
                throw new PickleException($"unsupported pickle opcode 0x{opcode:x2} at byte {at}");
        }
    }

    private static object? Call(object? callable, object? args, int at)
    {
        if (args is not object?[] arguments)
        {
            throw new PickleException($"call arguments are not a tuple at byte {at}");
        }
        return callable switch
        {
            PickleCallable function => function(arguments),
            PythonClass type => new PythonObject(type.Name, arguments),
            _ => throw new PickleException($"cannot call a {callable?.GetType().Name ?? "None"} at byte {at}"),
        };
    }

    // BUILD sets instance attributes. OrderedDict attributes (state_dict()'s `_metadata` version table) mean nothing
    // outside PyTorch, so they are dropped; placeholders of unknown classes keep theirs.
    private static void SetState(object? target, object? state, int at)
    {
        switch (target)
        {
            case Dictionary<object, object?>:
                break;
            case PythonObject instance:
                instance.State = state;
                break;
            default:
                throw new PickleException($"cannot set attributes on a {target?.GetType().Name ?? "None"} at byte {at}");
        }
    }

    private static Dictionary<object, object?> FillDictionary(Dictionary<object, object?> dictionary, List<object?> keysAndValues, int at)
    {
        if (keysAndValues.Count % 2 != 0)
        {
            throw new PickleException($"odd number of dictionary items at byte {at}");
        }
        for (int i = 0; i < keysAndValues.Count; i += 2)
        {
            var key = keysAndValues[i] ?? throw new PickleException($"dictionary key None is not supported (byte {at})");
            dictionary[key] = keysAndValues[i + 1];
        }
        return dictionary;
    }

    private Dictionary<object, object?> PeekDictionary(int at) =>
        Peek() as Dictionary<object, object?> ?? throw new PickleException($"SETITEM on a non-dictionary at byte {at}");

    private void AppendTo(object? value, int at) => PeekList(at).Add(value);

    private void AppendAll(List<object?> values, int at) => PeekList(at).AddRange(values);

    private List<object?> PeekList(int at) =>
        Peek() as List<object?> ?? throw new PickleException($"APPEND on a non-list at byte {at}");

    private object? FromMemo(long index, int at) =>
        _memo.TryGetValue(index, out var value) ? value : throw new PickleException($"memo entry {index} missing at byte {at}");

    private static long DecodeLong(ReadOnlySpan<byte> littleEndian, int at)
    {
        var value = new BigInteger(littleEndian, isUnsigned: false, isBigEndian: false);
        if (value < long.MinValue || value > long.MaxValue)
        {
            throw new PickleException($"integer {value} does not fit in 64 bits (byte {at})");
        }
        return (long)value;
    }

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() =>
        _stack.Count > 0 ? _stack[^1] : throw new PickleException($"pickle stack empty at byte {_position}");

    private object? PopValue()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        if (_marks.Count > 0 && _marks.Peek() > _stack.Count)
        {
            throw new PickleException($"pickle popped past a MARK at byte {_position}");
        }
        return value;
    }

    private object?[] PopMany(int count)
    {
        if (_stack.Count < count)
        {
            throw new PickleException($"pickle stack holds fewer than {count} values at byte {_position}");
        }
        var values = _stack.GetRange(_stack.Count - count, count).ToArray();
        _stack.RemoveRange(_stack.Count - count, count);
        return values;
    }

    private List<object?> PopToMark()
    {
        if (_marks.Count == 0)
        {
            throw new PickleException($"no MARK on the pickle stack at byte {_position}");
        }
        int start = _marks.Pop();
        var values = _stack.GetRange(start, _stack.Count - start);
        _stack.RemoveRange(start, _stack.Count - start);
        return values;
    }

    private byte ReadByte() => Read(1)[0];

    private int ReadLength(int width)
    {
        var bytes = Read(width);
        ulong length = width == 4 ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        return length <= int.MaxValue ? (int)length : throw new PickleException($"length {length} too large at byte {_position}");
    }

    private ReadOnlySpan<byte> Read(int count)
    {
        if (count > _data.Length - _position)
        {
            throw new PickleException($"pickle data truncated at byte {_position} (needed {count} more bytes)");
        }
        var span = _data.AsSpan(_position, count);
        _position += count;
        return span;
    }

    private string ReadLine()
    {
        int end = Array.IndexOf(_data, (byte)'\n', _position);
        if (end < 0)
        {
            throw new PickleException($"pickle data truncated inside a GLOBAL name at byte {_position}");
        }
        var line = Encoding.UTF8.GetString(_data, _position, end - _position);
        _position = end + 1;
        return line;
    }
}
