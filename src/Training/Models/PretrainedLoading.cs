using Cluster.Training.Models.Init;
using TorchSharp;

namespace Cluster.Training.Models;

internal static class PretrainedLoading
{
    /// <summary>Non-strict load of a backbone's <c>pretrained</c> checkpoint through the configured loader.</summary>
    public static void Load(IPretrainedLoader? loader, torch.nn.Module target, string checkpoint, string keyPath)
    {
        if (loader is null)
            throw new InvalidOperationException($"{keyPath}: '{checkpoint}' given but no checkpoint loader was provided");
        loader.Load(target, checkpoint, null);
    }
}
