using TorchSharp;
using TorchSharp.Modules;

namespace Cluster.Training.Models.Backbones;

/// <summary>The stage layout shared by the 2D and 3D ResNets: stage i has base_channels·2^i planes, takes the
/// previous stage's expanded output, and is registered as <c>layer{i+1}</c>.</summary>
internal static class ResNetStages
{
    /// <param name="makeStage">Builds stage i from its input channels and planes.</param>
    public static IReadOnlyList<Sequential> Build(torch.nn.Module owner, ResNetArchitecture arch, int numStages,
        long baseChannels, Func<int, long, long, Sequential> makeStage)
    {
        var stages = new List<Sequential>();
        var inplanes = baseChannels;
        for (var i = 0; i < numStages; i++)
        {
            var planes = baseChannels << i;
            var stage = makeStage(i, inplanes, planes);
            owner.register_module($"layer{i + 1}", stage);
            stages.Add(stage);
            inplanes = planes * arch.Expansion;
        }
        return stages;
    }

    /// <summary>Channels of stage <paramref name="stage"/>'s output.</summary>
    public static long OutChannels(ResNetArchitecture arch, long baseChannels, int stage) =>
        (baseChannels << stage) * arch.Expansion;
}
