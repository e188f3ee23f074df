using System.Collections;
using Cluster.Training.Checkpoints.Pickle;
using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// Pickles a checkpoint tree the way <c>torch.save</c> does (protocol 2). Each tensor gets its own storage, collected
/// in <see cref="Storages"/> (contiguous CPU copies, index = storage key) for the archive writer.
/// Dictionaries whose values are all tensors are written as <c>collections.OrderedDict</c>, like a PyTorch state_dict.
/// </summary>
internal sealed class TorchPickler
{
    private readonly PickleWriter _writer = new();

    public List<Tensor> Storages { get; } = new();

    public byte[] Pickle(object? tree)
    {
        _writer.WriteProtocol();
        WriteValue(tree, "");
        _writer.WriteStop();
        return _writer.ToArray();
    }

    private void WriteValue(object? value, string path)
    {
        switch (value)
        {
            case null: _writer.WriteNone(); break;
            case bool flag: _writer.WriteBool(flag); break;
            case int or long or short or uint or ushort or sbyte: _writer.WriteInt(Convert.ToInt64(value)); break;
            case double or float: _writer.WriteFloat(Convert.ToDouble(value)); break;
            case string text: _writer.WriteString(text); break;
            case byte[] bytes: _writer.WriteBytes(bytes); break;
            case Tensor tensor: WriteTensor(tensor, path); break;
            case IDictionary dictionary: WriteDictionary(dictionary, path); break;
            case object?[] tuple: WriteTuple(tuple, path); break;
            case IEnumerable items: WriteList(items, path); break;
            default:
                throw new ArgumentException($"Cannot save '{Describe(path)}': values of type {value.GetType().Name} are not supported");
        }
    }

    private void WriteDictionary(IDictionary dictionary, string path)
    {
        bool isStateDict = dictionary.Count > 0 && dictionary.Values.Cast<object?>().All(item => item is Tensor);
        if (isStateDict)
        {
            _writer.WriteGlobal("collections", "OrderedDict");
            _writer.WriteEmptyTuple();
            _writer.WriteReduce();
        }
        else
        {
            _writer.WriteEmptyDict();
        }
        if (dictionary.Count == 0)
        {
            return;
        }
        _writer.WriteMark();
        foreach (DictionaryEntry entry in dictionary)
        {
            if (entry.Key is not (string or int or long or bool))
            {
                throw new ArgumentException($"Cannot save '{Describe(path)}': dictionary keys of type {entry.Key.GetType().Name} are not supported");
            }
            WriteValue(entry.Key, path);
            WriteValue(entry.Value, path.Length == 0 ? $"{entry.Key}" : $"{path}.{entry.Key}");
        }
        _writer.WriteSetItems();
    }

    private void WriteTuple(object?[] tuple, string path)
    {
        _writer.WriteMark();
        for (int i = 0; i < tuple.Length; i++)
        {
            WriteValue(tuple[i], $"{path}[{i}]");
        }
        _writer.WriteTupleFromMark();
    }

    private void WriteList(IEnumerable items, string path)
    {
        _writer.WriteEmptyList();
        _writer.WriteMark();
        int index = 0;
        foreach (var item in items)
        {
            WriteValue(item, $"{path}[{index++}]");
        }
        _writer.WriteAppends();
    }

    // _rebuild_tensor_v2((storage persistent id), 0, size, contiguous stride, False, OrderedDict())
    private void WriteTensor(Tensor tensor, string path)
    {
        var storageType = TorchStorageType.FromElementType(tensor.dtype, Describe(path));
        Tensor contiguous;
        using (NewDisposeScope())
        {
            contiguous = tensor.detach().cpu().contiguous().MoveToOuterDisposeScope();
        }
        string key = Storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Storages.Add(contiguous);

        _writer.WriteGlobal("torch._utils", "_rebuild_tensor_v2");
        _writer.WriteMark();
        _writer.WriteMark();
        _writer.WriteString("storage");
        _writer.WriteGlobal("torch", storageType.ClassName);
        _writer.WriteString(key);
        _writer.WriteString("cpu");
        _writer.WriteInt(contiguous.numel());
        _writer.WriteTupleFromMark();
        _writer.WritePersistentId();
        _writer.WriteInt(0);
        WriteTuple(contiguous.shape.Cast<object?>().ToArray(), path);
        WriteTuple(contiguous.stride().Cast<object?>().ToArray(), path);
        _writer.WriteBool(false);
        _writer.WriteGlobal("collections", "OrderedDict");
        _writer.WriteEmptyTuple();
        _writer.WriteReduce();
        _writer.WriteTupleFromMark();
        _writer.WriteReduce();
    }

    private static string Describe(string path) => path.Length == 0 ? "<root>" : path;
}
