using TorchSharp;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// Weights-only loading, shared by <c>load_from</c>, <c>cluster test</c> and pretrained backbones: the report of
/// missing, unexpected and shape-mismatched keys (a replaced head shows up there) goes to <paramref name="log"/>, and a
/// checkpoint none of whose tensors fit is an error rather than a silent start from scratch. Checkpoints written by
/// MMEngine carry numpy values and message-hub objects next to the weights; they are read as inert data.
/// </summary>
public static class CheckpointWeights
{
    /// <param name="label">Leads the report line ("load_from", "loaded", ...).</param>
    /// <param name="prefixFor">Chooses the key prefix to load from once the checkpoint's keys are known.</param>
    public static LoadReport LoadInto(torch.nn.Module target, string path, Action<string> log, string label,
        bool strict = false, Func<Checkpoint, string?>? prefixFor = null)
    {
        using var checkpoint = CheckpointFile.Load(path, allowUnknownClasses: true);
        var prefix = prefixFor?.Invoke(checkpoint);
        var report = StateDictLoader.Load(target, checkpoint, new LoadOptions { Strict = strict, Prefix = prefix, Warn = log });
        log($"{label} {path}{(prefix is null ? "" : $" (keys under '{prefix}')")}: {report.Summary}");
        if (report.Loaded.Count == 0)
            throw new CheckpointFormatException(path, "no tensor in it matches the module it is loaded into");
        return report;
    }
}
