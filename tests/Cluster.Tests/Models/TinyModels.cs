using Cluster.Training.Models;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Recognizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

/// <summary>Small configurations and lookups shared by the model tests.</summary>
internal static class TinyModels
{
    public const int Classes = 5;

    public static Recognizer2DConfig Tsn(int baseChannels = 8, AverageClips? averageClips = AverageClips.Prob) => new()
    {
        Backbone = new ResNetConfig { Depth = 18, BaseChannels = baseChannels },
        ClsHead = new TSNHeadConfig
        {
            NumClasses = Classes, InChannels = baseChannels * 8, AverageClips = averageClips,
        },
    };

    public static Recognizer3DConfig SlowOnly(AverageClips? averageClips = AverageClips.Prob) => new()
    {
        Backbone = new ResNet3dSlowOnlyConfig { Depth = 50, BaseChannels = 4 },
        ClsHead = new I3DHeadConfig { NumClasses = Classes, InChannels = 4 * 8 * 4, AverageClips = averageClips },
    };

    public static Dictionary<string, nn.Module> Modules(nn.Module root) =>
        ModuleTree.NamedDescendants(root).ToDictionary(m => m.Name, m => m.Module);

    public static Dictionary<string, Tensor> Parameters(nn.Module root) =>
        root.named_parameters().ToDictionary(p => p.name, p => (Tensor)p.parameter);
}
