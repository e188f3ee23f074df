using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Init;

/// <summary>
/// MMEngine's per-module init functions (constant_init, xavier_init, normal_init, ...): each touches only the module's
/// own <c>weight</c> and <c>bias</c> parameters, when present, and fills the bias with a constant.
/// </summary>
public static class ModuleInitializers
{
    public static void Apply(nn.Module module, InitConfig config)
    {
        var weight = OwnParameter(module, "weight");
        var bias = OwnParameter(module, "bias");
        using (no_grad())
        {
            if (weight is not null) InitWeight(weight, config);
            if (bias is not null)
            {
                using var value = config.EffectiveBias.ToScalar();
                nn.init.constant_(bias, value);
            }
        }
    }

    private static void InitWeight(Tensor weight, InitConfig config)
    {
        switch (config)
        {
            case ConstantInitConfig c:
                using (var value = c.Val.ToScalar()) nn.init.constant_(weight, value);
                break;
            case XavierInitConfig x when x.Distribution == InitDistribution.Uniform:
                nn.init.xavier_uniform_(weight, x.Gain);
                break;
            case XavierInitConfig x:
                nn.init.xavier_normal_(weight, x.Gain);
                break;
            case NormalInitConfig n:
                nn.init.normal_(weight, n.Mean, n.Std);
                break;
            case TruncNormalInitConfig t:
                TruncNormal(weight, t.Mean, t.Std, t.A, t.B);
                break;
            case UniformInitConfig u:
                nn.init.uniform_(weight, u.A, u.B);
                break;
            case KaimingInitConfig k:
                Kaiming(weight, k.A, k.Mode, k.Nonlinearity, k.Distribution);
                break;
            case Caffe2XavierInitConfig:
                Kaiming(weight, 1, FanMode.FanIn, Nonlinearity.LeakyRelu, InitDistribution.Uniform);
                break;
            default:
                throw new ArgumentException($"init_cfg type '{config.TypeName}' does not initialise weights directly");
        }
    }

    private static void Kaiming(Tensor weight, double a, FanMode mode, Nonlinearity nonlinearity,
        InitDistribution distribution)
    {
        var fan = mode == FanMode.FanIn ? nn.init.FanInOut.FanIn : nn.init.FanInOut.FanOut;
        var gainType = ToTorchSharp(nonlinearity);
        if (distribution == InitDistribution.Uniform) nn.init.kaiming_uniform_(weight, a, fan, gainType);
        else nn.init.kaiming_normal_(weight, a, fan, gainType);
    }

    /// <summary>PyTorch/MMEngine's trunc_normal_: inverse-CDF sampling between the CDF values of a and b, clamped.</summary>
    private static void TruncNormal(Tensor weight, double mean, double std, double a, double b)
    {
        var lower = NormalCdf((a - mean) / std);
        var upper = NormalCdf((b - mean) / std);
        weight.uniform_(2 * lower - 1, 2 * upper - 1);
        weight.erfinv_();
        using var held = new HeldScalars();
        weight.mul_(held.Of(std * Math.Sqrt(2)));
        weight.add_(held.Of(mean));
        weight.clamp_(held.Of(a), held.Of(b));
    }

    private static double NormalCdf(double x) => (1 + Erf(x / Math.Sqrt(2))) / 2;

    /// <summary>.NET has no Math.Erf; libtorch's double-precision erf serves the two scalars needed here.</summary>
    private static double Erf(double x)
    {
        using var t = tensor(x, ScalarType.Float64);
        return t.erf().item<double>();
    }

    private static nn.init.NonlinearityType ToTorchSharp(Nonlinearity n) => n switch
    {
        Nonlinearity.Linear => nn.init.NonlinearityType.Linear,
        Nonlinearity.Conv1d => nn.init.NonlinearityType.Conv1D,
        Nonlinearity.Conv2d => nn.init.NonlinearityType.Conv2D,
        Nonlinearity.Conv3d => nn.init.NonlinearityType.Conv3D,
        Nonlinearity.ConvTranspose1d => nn.init.NonlinearityType.ConvTranspose1D,
        Nonlinearity.ConvTranspose2d => nn.init.NonlinearityType.ConvTranspose2D,
        Nonlinearity.ConvTranspose3d => nn.init.NonlinearityType.ConvTranspose3D,
        Nonlinearity.Sigmoid => nn.init.NonlinearityType.Sigmoid,
        Nonlinearity.Tanh => nn.init.NonlinearityType.Tanh,
        Nonlinearity.Relu => nn.init.NonlinearityType.ReLU,
        Nonlinearity.LeakyRelu => nn.init.NonlinearityType.LeakyReLU,
        _ => throw new ArgumentOutOfRangeException(nameof(n), n, "unknown nonlinearity"),
    };

    private static Tensor? OwnParameter(nn.Module module, string name) =>
        module.named_parameters(recurse: false).Where(p => p.name == name).Select(p => (Tensor)p.parameter)
            .FirstOrDefault();
}
