using Cluster.Training.Models.Init;
using TorchSharp;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// The .pth implementation of <see cref="IPretrainedLoader"/> used by <c>pretrained</c> keys and <c>Pretrained</c>
/// init: a non-strict <see cref="CheckpointWeights"/> load whose report goes to <paramref name="log"/>. Without a
/// prefix, a leading <c>backbone.</c> is stripped when the checkpoint has one (MMAction2's
/// <c>revise_keys=[(r'^backbone\.', '')]</c>).
/// </summary>
public sealed class CheckpointPretrainedLoader(Action<string> log) : IPretrainedLoader
{
    private const string BackbonePrefix = "backbone.";

    public void Load(torch.nn.Module target, string checkpoint, string? prefix) =>
        CheckpointWeights.LoadInto(target, checkpoint, log, "loaded", prefixFor: file => prefix ?? BackbonePrefixIfPresent(file));

    private static string? BackbonePrefixIfPresent(Checkpoint file) =>
        file.StateDict.Keys.Any(k => k.StartsWith(BackbonePrefix, StringComparison.Ordinal)) ? BackbonePrefix : null;
}
