using TorchSharp;

namespace Cluster.Training.Models.Init;

/// <summary>
/// Loads a checkpoint non-strictly into <paramref name="target"/> (MMEngine's <c>load_checkpoint(strict=False)</c>).
/// With <paramref name="prefix"/>, only the checkpoint keys starting with <c>prefix + "."</c> are used, prefix removed.
/// </summary>
public interface IPretrainedLoader
{
    void Load(torch.nn.Module target, string checkpoint, string? prefix);
}
