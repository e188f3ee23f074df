using Cluster.Training.Checkpoints.Pickle;
using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// The Python classes allowed in a torch checkpoint pickle and what they become in C#; anything else is refused by name.
/// Tensors are rebuilt as strided views over their storage, exactly as PyTorch does, so views sharing a storage share memory.
/// With <paramref name="allowUnknownClasses"/>, other classes become <see cref="PythonClass"/> / <see cref="PythonObject"/> data.
/// </summary>
internal sealed class TorchPickleResolver(Func<TorchStorageType, string, long, Tensor> loadStorage, bool allowUnknownClasses) : IPickleResolver
{
    public object ResolveGlobal(string module, string name) => (module, name) switch
    {
        ("collections", "OrderedDict") => new PickleCallable(_ => new Dictionary<object, object?>()),
        ("torch._utils", "_rebuild_tensor_v2") => new PickleCallable(RebuildTensor),
        ("torch._utils", "_rebuild_parameter") or ("torch._utils", "_rebuild_parameter_with_state") =>
            new PickleCallable(args => args.Length > 0 && args[0] is Tensor data
                ? data
                : throw new PickleException("_rebuild_parameter without a tensor")),
        ("_codecs", "encode") => new PickleCallable(EncodeLatin1),
        // Protocol 2 names Python 3's builtins module "__builtin__".
        ("builtins" or "__builtin__", "set" or "frozenset") => new PickleCallable(args =>
            args.Length == 0 ? new List<object?>() : new List<object?>(args[0] as List<object?> ?? [])),
        ("builtins" or "__builtin__", "bytes") => new PickleCallable(args => args.Length == 0
            ? Array.Empty<byte>()
            : throw new PickleException("bytes(...) with arguments is not supported")),
        ("torch", _) when TorchStorageType.FromClassName(name) is { } storageType => storageType,
        _ when allowUnknownClasses => new PythonClass($"{module}.{name}"),
        _ => throw new PickleException($"unsupported Python class {module}.{name}"),
    };

    /// <summary>Persistent id <c>('storage', storage class, key, location, numel)</c>, written by torch for each storage.</summary>
    public object? PersistentLoad(object? persistentId)
    {
        if (persistentId is not object?[] { Length: 5 } id || id[0] as string != "storage"
            || id[1] is not TorchStorageType type || id[2] is not string key || id[4] is not long numel)
        {
            throw new PickleException("persistent id is not a torch ('storage', type, key, location, numel) tuple");
        }
        return loadStorage(type, key, numel);
    }

    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
    private static object RebuildTensor(object?[] args)
    {
        if (args.Length < 6 || args[0] is not Tensor storage || args[1] is not long offset
            || args[2] is not object?[] size || args[3] is not object?[] stride || size.Length != stride.Length)
        {
            throw new PickleException("_rebuild_tensor_v2 arguments are not (storage, offset, size, stride, ...)");
        }
        long[] sizes = ToLongs(size);
        long[] strides = ToLongs(stride);
        long lastElement = offset + sizes.Zip(strides, (s, st) => (s - 1) * st).Sum();
        bool empty = sizes.Any(s => s == 0);
        if (offset < 0 || (!empty && lastElement >= storage.numel()))
        {
            throw new PickleException($"tensor view (offset {offset}, size [{string.Join(", ", sizes)}], stride [{string.Join(", ", strides)}]) exceeds its storage of {storage.numel()} elements");
        }
        return storage.as_strided(sizes, strides, offset);
    }

    private static long[] ToLongs(object?[] values) =>
        values.Select(value => value as long? ?? throw new PickleException("tensor size or stride is not an integer")).ToArray();

    private static object EncodeLatin1(object?[] args) =>
        args.Length >= 1 && args[0] is string text
            ? System.Text.Encoding.Latin1.GetBytes(text)
            : throw new PickleException("_codecs.encode without a string");
}
