using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;

namespace Cluster.Training.Models;

/// <summary>The init MMAction2's models run when no <c>init_cfg</c> is given.</summary>
internal static class DefaultInit
{
    private static readonly KaimingInitConfig Kaiming = new();
    private static readonly ConstantInitConfig UnitScale = new() { Val = 1 };

    /// <summary>ResNet backbones: <c>kaiming_init</c> (fan_out, relu, normal, bias 0) on convs,
    /// <c>constant_init(1)</c> on BatchNorms.</summary>
    public static void KaimingConvsUnitNorms(torch.nn.Module backbone)
    {
        foreach (var m in ModuleTree.SelfAndDescendants(backbone))
        {
            if (m is Convolution) ModuleInitializers.Apply(m, Kaiming);
            else if (m is BatchNorm) ModuleInitializers.Apply(m, UnitScale);
        }
    }

    /// <summary>Heads: <c>normal_init(fc_cls, std=init_std)</c>, bias 0.</summary>
    public static void NormalClassifier(torch.nn.Module fcCls, double initStd) =>
        ModuleInitializers.Apply(fcCls, new NormalInitConfig { Std = initStd });
}
