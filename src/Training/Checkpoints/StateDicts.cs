using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>State dicts taken from modules, ready for <see cref="CheckpointFile.Save"/>.</summary>
public static class StateDicts
{
    /// <summary>
    /// The module's parameters and buffers in PyTorch's state_dict order and naming (<c>layer1.0.conv1.weight</c>),
    /// as detached CPU copies that later training steps do not change. The caller owns (disposes) the copies.
    /// </summary>
    public static Dictionary<string, Tensor> FromModule(nn.Module module)
    {
        var copies = new Dictionary<string, Tensor>();
        foreach (var (name, tensor) in ModuleStateEntries.InPyTorchOrder(module))
        {
            using var detached = tensor.detach();
            copies[name] = detached.to(CPU, copy: true);
        }
        return copies;
    }
}
