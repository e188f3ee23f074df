using Cluster.Training.Models;
using Cluster.Training.Models.Layers;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// Turns a built model's BatchNorms into SyncBatchNorms (<c>distributed.sync_bn: true</c>, torch's
/// <c>SyncBatchNorm.convert_sync_batchnorm</c>). Our modules call their children through typed fields, so swapping
/// registered submodules would not reach their forward; instead each of our BatchNorm layers is switched to
/// synchronised statistics in place. Parameters, buffers and state-dict names stay exactly as they were, so a
/// checkpoint loads into either form.
/// </summary>
public static class SyncBatchNormConverter
{
    /// <summary>Every BatchNorm under <paramref name="model"/> shares batch statistics over <paramref name="group"/>; returns how many.</summary>
    public static int Convert(nn.Module model, IProcessGroup group) => SetGroup(model, group);

    /// <summary>Back to per-rank statistics (e.g. before the group is disposed); returns how many layers changed.</summary>
    public static int Revert(nn.Module model) => SetGroup(model, null);

    private static int SetGroup(nn.Module model, IProcessGroup? group)
    {
        var layers = new List<StableBatchNorm>();
        foreach (var (name, module) in ModuleTree.NamedDescendants(model).Prepend(("(root)", model)))
        {
            if (module is StableBatchNorm ours) layers.Add(ours);
            else if (module is BatchNorm other)
                throw new InvalidOperationException(
                    $"{name}: TorchSharp's {other.GetType().Name} cannot share statistics across ranks; build it from Cluster.Training.Models.Layers");
        }
        foreach (var layer in layers) layer.SyncGroup = group;
        return layers.Count;
    }
}
