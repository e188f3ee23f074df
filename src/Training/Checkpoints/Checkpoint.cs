using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// A loaded checkpoint file: the whole object tree, its model weights (found at the top level, or under
/// <c>state_dict</c> or <c>model</c>), and MMEngine's <c>meta</c> when present. Disposing releases every tensor in it.
/// </summary>
public sealed class Checkpoint : IDisposable
{
    private static readonly string[] StateDictKeys = ["state_dict", "model"];

    private Checkpoint(string file, object? tree, IReadOnlyDictionary<string, Tensor> stateDict, IReadOnlyDictionary<string, object?>? meta)
    {
        File = file;
        Tree = tree;
        StateDict = stateDict;
        Meta = meta;
    }

    /// <summary>The path the checkpoint was read from.</summary>
    public string File { get; }

    /// <summary>Everything the file holds, as read by <see cref="CheckpointFile.Read"/>.</summary>
    public object? Tree { get; }

    /// <summary>Parameter and buffer tensors by their names in the file, in file order.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>MMEngine's <c>meta</c> dictionary (epoch, iter, seed, cfg, time, ...), or null when the file has none.</summary>
    public IReadOnlyDictionary<string, object?>? Meta { get; }

    internal static Checkpoint FromTree(object? tree, string file)
    {
        if (tree is not Dictionary<string, object?> root)
        {
            throw new CheckpointFormatException(file, $"top-level object is a {Describe(tree)}, not a dictionary");
        }
        string? stateDictKey = StateDictKeys.FirstOrDefault(root.ContainsKey);
        var stateDict = stateDictKey is null
            ? ToStateDict(root, file, "top level", noneFoundMessage: true)
            : ToStateDict(root[stateDictKey], file, $"'{stateDictKey}'", noneFoundMessage: false);
        var meta = root.GetValueOrDefault("meta") as Dictionary<string, object?>;
        return new Checkpoint(file, tree, stateDict, meta);
    }

    public void Dispose() => CheckpointTree.DisposeTensors(Tree);

    private static Dictionary<string, Tensor> ToStateDict(object? value, string file, string where, bool noneFoundMessage)
    {
        if (value is not Dictionary<string, object?> entries)
        {
            throw new CheckpointFormatException(file, $"{where} is a {Describe(value)}, not a dictionary of tensors");
        }
        var stateDict = new Dictionary<string, Tensor>(entries.Count);
        foreach (var (key, item) in entries)
        {
            if (item is not Tensor tensor)
            {
                throw new CheckpointFormatException(file, noneFoundMessage
                    ? $"no state_dict: the top level holds '{key}' ({Describe(item)}) and has no 'state_dict' or 'model' entry"
                    : $"state_dict entry '{key}' under {where} is a {Describe(item)}, not a tensor");
            }
            stateDict[key] = tensor;
        }
        return stateDict;
    }

    private static string Describe(object? value) => value?.GetType().Name ?? "None";
}
