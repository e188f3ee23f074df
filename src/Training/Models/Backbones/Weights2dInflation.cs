using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>Copies a torchvision-named 2D ResNet into a ConvModule-named 3D one (MMAction2 _inflate_weights).</summary>
internal static class Weights2dInflation
{
    public static void Inflate(nn.Module source2d, nn.Module target3d)
    {
        var source = source2d.state_dict();
        using var noGrad = no_grad();
        foreach (var (name, module) in ModuleTree.NamedDescendants(target3d))
        {
            if (module is not ConvModule) continue;
            var (convName, bnName) = name.EndsWith(".downsample")
                ? (name + ".0", name + ".1")
                : (name, ReplaceLast(name, "conv", "bn"));
            var target = module.state_dict();
            InflateConv(target["conv.weight"], source, convName + ".weight");
            foreach (var (key, tensor) in target)
                if (key.StartsWith("bn.") && source.TryGetValue(bnName + key[2..], out var value) &&
                    value.shape.SequenceEqual(tensor.shape))
                    tensor.copy_(value);
        }
    }

    private static void InflateConv(Tensor weight3d, Dictionary<string, Tensor> source, string key)
    {
        if (!source.TryGetValue(key, out var weight2d)) return;
        var kernelT = weight3d.shape[2];
        var expected = new[] { weight3d.shape[0], weight3d.shape[1], weight3d.shape[3], weight3d.shape[4] };
        if (!weight2d.shape.SequenceEqual(expected)) return;
        using var kernelLength = kernelT.ToScalar();
        weight3d.copy_(weight2d.unsqueeze(2).expand_as(weight3d) / kernelLength);
    }

    /// <summary>"layer1.0.conv2" → "layer1.0.bn2"; "conv1" → "bn1".</summary>
    private static string ReplaceLast(string name, string from, string to)
    {
        var at = name.LastIndexOf(from, StringComparison.Ordinal);
        return name[..at] + to + name[(at + from.Length)..];
    }
}
