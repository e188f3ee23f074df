using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// A module's state_dict entries in PyTorch's order (TorchSharp's own <c>state_dict()</c> lists all parameters before
/// all buffers): each module's own parameters, then its persistent buffers, then its children's entries in turn.
/// The tensors are the module's own, so writing into them changes the module.
/// </summary>
internal static class ModuleStateEntries
{
    public static IEnumerable<(string Name, Tensor Tensor)> InPyTorchOrder(nn.Module module, string prefix = "")
    {
        foreach (var (name, parameter) in module.named_parameters(recurse: false))
        {
            yield return (prefix + name, parameter);
        }
        foreach (var (name, buffer) in module.named_buffers(recurse: false, include_nonpersistent: false))
        {
            yield return (prefix + name, buffer);
        }
        foreach (var (name, child) in module.named_children())
        {
            foreach (var entry in InPyTorchOrder(child, $"{prefix}{name}."))
            {
                yield return entry;
            }
        }
    }
}
