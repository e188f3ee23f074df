using Cluster.Training.Models.Init;
using TorchSharp;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// The .pth implementation of <see cref="IPretrainedLoader"/> used by <c>pretrained</c> keys and <c>Pretrained</c>
/// init: a non-strict load whose report goes to <paramref name="log"/>. Without a prefix, a leading <c>backbone.</c>
/// is stripped when the checkpoint has one (MMAction2's <c>revise_keys=[(r'^backbone\.', '')]</c>). MMEngine's
/// numpy and message-hub objects next to the weights are read as inert data; a checkpoint that fits nothing is an error.
/// </summary>
public sealed class CheckpointPretrainedLoader(Action<string> log) : IPretrainedLoader
{
    private const string BackbonePrefix = "backbone.";

    public void Load(torch.nn.Module target, string checkpoint, string? prefix)
    {
        using var file = CheckpointFile.Load(checkpoint, allowUnknownClasses: true);
        if (prefix is null && file.StateDict.Keys.Any(k => k.StartsWith(BackbonePrefix, StringComparison.Ordinal)))
            prefix = BackbonePrefix;
        var report = StateDictLoader.Load(target, file, new LoadOptions { Prefix = prefix, Warn = log });
        log($"loaded {checkpoint}{(prefix is null ? "" : $" (keys under '{prefix}')")}: {report.Summary}");
        if (report.Loaded.Count == 0)
            throw new CheckpointFormatException(checkpoint, "no tensor in it matches the module it is loaded into");
    }
}
