namespace Cluster.Training.Checkpoints;

/// <summary>A tensor whose checkpoint shape differs from the module's (e.g. a classifier with another class count).</summary>
public sealed record ShapeMismatch(string Key, long[] CheckpointShape, long[] ModelShape)
{
    public override string ToString() => $"{Key} (checkpoint [{string.Join(", ", CheckpointShape)}], model [{string.Join(", ", ModelShape)}])";
}

/// <summary>A module key that was found in the checkpoint under another name by <see cref="ResNetKeyMapping"/>.</summary>
public sealed record KeyRename(string CheckpointKey, string ModelKey);

/// <summary>What <see cref="StateDictLoader.Load(TorchSharp.torch.nn.Module, IReadOnlyDictionary{string, TorchSharp.torch.Tensor}, LoadOptions?)"/> did.</summary>
public sealed class LoadReport(
    IReadOnlyList<string> loaded,
    IReadOnlyList<string> missing,
    IReadOnlyList<string> unexpected,
    IReadOnlyList<ShapeMismatch> shapeMismatched,
    IReadOnlyList<KeyRename> renamed)
{
    private const int ListedKeys = 5;

    /// <summary>Module keys that received checkpoint values.</summary>
    public IReadOnlyList<string> Loaded { get; } = loaded;

    /// <summary>Module keys the checkpoint has no tensor for (left as they were).</summary>
    public IReadOnlyList<string> Missing { get; } = missing;

    /// <summary>Checkpoint keys (after prefix removal) that no module key used, e.g. torchvision's <c>fc.*</c> for a backbone.</summary>
    public IReadOnlyList<string> Unexpected { get; } = unexpected;

    /// <summary>Keys present on both sides with different shapes; skipped.</summary>
    public IReadOnlyList<ShapeMismatch> ShapeMismatched { get; } = shapeMismatched;

    /// <summary>Module keys matched through a key rename.</summary>
    public IReadOnlyList<KeyRename> Renamed { get; } = renamed;

    public bool IsExactMatch => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatched.Count == 0;

    /// <summary>One paragraph for logs.</summary>
    public string Summary
    {
        get
        {
            int total = Loaded.Count + Missing.Count + ShapeMismatched.Count;
            var parts = new List<string> { $"Loaded {Loaded.Count} of {total} module tensors" + (Renamed.Count > 0 ? $" ({Renamed.Count} through MMAction2/torchvision key mapping)" : "") };
            if (Missing.Count > 0)
            {
                parts.Add($"missing from the checkpoint {Describe(Missing)}");
            }
            if (Unexpected.Count > 0)
            {
                parts.Add($"unexpected in the checkpoint {Describe(Unexpected)}");
            }
            if (ShapeMismatched.Count > 0)
            {
                parts.Add($"skipped for shape mismatch {Describe(ShapeMismatched)}");
            }
            return string.Join("; ", parts) + ".";
        }
    }

    public override string ToString() => Summary;

    internal static string Describe<T>(IReadOnlyList<T> items)
    {
        string listed = string.Join(", ", items.Take(ListedKeys));
        return items.Count > ListedKeys ? $"{items.Count} ({listed}, and {items.Count - ListedKeys} more)" : $"{items.Count} ({listed})";
    }
}
