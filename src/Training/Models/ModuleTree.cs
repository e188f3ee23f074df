using TorchSharp;
using TorchSharp.Modules;

namespace Cluster.Training.Models;

/// <summary>Walks and switches modes of module trees the way PyTorch's <c>modules()</c> / <c>apply()</c> do.</summary>
public static class ModuleTree
{
    /// <summary>Post-order like PyTorch's <c>Module.apply</c>: children before their parent.</summary>
    public static IEnumerable<torch.nn.Module> SelfAndDescendants(torch.nn.Module module)
    {
        foreach (var (_, child) in module.named_children())
            foreach (var m in SelfAndDescendants(child))
                yield return m;
        yield return module;
    }

    /// <summary>Every module below <paramref name="module"/> with its dotted name, parents first.</summary>
    public static IEnumerable<(string Name, torch.nn.Module Module)> NamedDescendants(torch.nn.Module module,
        string prefix = "")
    {
        foreach (var (name, child) in module.named_children())
        {
            var fullName = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (fullName, child);
            foreach (var descendant in NamedDescendants(child, fullName)) yield return descendant;
        }
    }

    /// <summary>Eval mode and <c>requires_grad = false</c> for every parameter (MMAction2's frozen stages).</summary>
    public static void Freeze(torch.nn.Module module)
    {
        module.eval();
        foreach (var p in module.parameters()) p.requires_grad = false;
    }

    /// <summary>Puts every BatchNorm layer under <paramref name="module"/> in eval mode (MMAction2's norm_eval).</summary>
    public static void SetBatchNormsToEval(torch.nn.Module module)
    {
        foreach (var m in SelfAndDescendants(module))
            if (m is BatchNorm) m.eval();
    }
}
