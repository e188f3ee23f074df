using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// Copies checkpoint tensors into a module's parameters and buffers by name, converting dtype (e.g. a float16 or
/// bfloat16 checkpoint into float32 parameters) and device. Keys are matched as is first, then through
/// <see cref="ResNetKeyMapping"/>; shape-mismatched tensors are skipped and reported.
/// </summary>
public static class StateDictLoader
{
    public static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, LoadOptions? options = null) =>
        Load(module, stateDict, options ?? new LoadOptions(), source: "state_dict");

    /// <summary>Loads <see cref="Checkpoint.StateDict"/>; errors name the checkpoint file.</summary>
    public static LoadReport Load(nn.Module module, Checkpoint checkpoint, LoadOptions? options = null) =>
        Load(module, checkpoint.StateDict, options ?? new LoadOptions(), source: $"checkpoint '{checkpoint.File}'");

    private static LoadReport Load(nn.Module module, IReadOnlyDictionary<string, Tensor> stateDict, LoadOptions options, string source)
    {
        var available = SelectPrefix(stateDict, options.Prefix);
        var used = new HashSet<string>();
        var copies = new List<(Tensor Target, Tensor Value)>();
        var loaded = new List<string>();
        var missing = new List<string>();
        var mismatched = new List<ShapeMismatch>();
        var renamed = new List<KeyRename>();

        foreach (var (modelKey, target) in ModuleStateEntries.InPyTorchOrder(module))
        {
            string? checkpointKey = Candidates(modelKey, options.MapKeys).FirstOrDefault(available.ContainsKey);
            if (checkpointKey is null)
            {
                missing.Add(modelKey);
                continue;
            }
            used.Add(checkpointKey);
            var value = available[checkpointKey];
            if (!value.shape.SequenceEqual(target.shape))
            {
                var mismatch = new ShapeMismatch(modelKey, value.shape, target.shape);
                mismatched.Add(mismatch);
                options.Warn?.Invoke($"Not loading {mismatch} from {source}: shapes differ.");
                continue;
            }
            copies.Add((target, value));
            loaded.Add(modelKey);
            if (checkpointKey != modelKey)
            {
                renamed.Add(new KeyRename(checkpointKey, modelKey));
            }
        }

        var unexpected = available.Keys.Where(key => !used.Contains(key)).ToList();
        var report = new LoadReport(loaded, missing, unexpected, mismatched, renamed);
        if (options.Strict && !report.IsExactMatch)
        {
            throw new StateDictMismatchException(StrictFailureMessage(report, module, source), report);
        }
        using (no_grad())
        {
            foreach (var (target, value) in copies)
            {
                target.copy_(value);
            }
        }
        return report;
    }

    private static IEnumerable<string> Candidates(string modelKey, bool mapKeys)
    {
        yield return modelKey;
        if (mapKeys)
        {
            foreach (var alternative in ResNetKeyMapping.Alternatives(modelKey))
            {
                yield return alternative;
            }
        }
    }

    private static Dictionary<string, Tensor> SelectPrefix(IReadOnlyDictionary<string, Tensor> stateDict, string? prefix)
    {
        if (string.IsNullOrEmpty(prefix))
        {
            return stateDict.ToDictionary(entry => entry.Key, entry => entry.Value);
        }
        string withDot = prefix.EndsWith('.') ? prefix : prefix + ".";
        return stateDict.Where(entry => entry.Key.StartsWith(withDot, StringComparison.Ordinal))
            .ToDictionary(entry => entry.Key[withDot.Length..], entry => entry.Value);
    }

    private static string StrictFailureMessage(LoadReport report, nn.Module module, string source)
    {
        var problems = new List<string>();
        if (report.Missing.Count > 0)
        {
            problems.Add($"missing keys {LoadReport.Describe(report.Missing)}");
        }
        if (report.Unexpected.Count > 0)
        {
            problems.Add($"unexpected keys {LoadReport.Describe(report.Unexpected)}");
        }
        if (report.ShapeMismatched.Count > 0)
        {
            problems.Add($"shape-mismatched keys {LoadReport.Describe(report.ShapeMismatched)}");
        }
        return $"Strict load of {source} into {module.GetType().Name} failed: {string.Join("; ", problems)}";
    }
}
