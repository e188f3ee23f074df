using Cluster.Training.Configs;

namespace Cluster.Training.Models.Init;

/// <summary>
/// One MMEngine <c>init_cfg</c> entry (mmengine/model/weight_init.py). Keys common to every initialiser:
/// <c>layer</c> (PyTorch class names selecting submodules), <c>override</c> (per-attribute settings),
/// <c>bias</c> and <c>bias_prob</c>. <c>name</c> is only meaningful inside <c>override</c>.
/// </summary>
public abstract record InitConfig
{
    public List<string>? Layer { get; init; }
    public List<InitConfig>? Override { get; init; }
    public double Bias { get; init; }
    public double? BiasProb { get; init; }
    public string? Name { get; init; }

    /// <summary>The MMEngine type name of this entry, as written in configs.</summary>
    internal string TypeName => GetType().GetCustomAttributes(typeof(ConfigTypeAttribute), false)
        .Cast<ConfigTypeAttribute>().Select(a => a.Name).FirstOrDefault() ?? GetType().Name;

    /// <summary>The bias value to write: <c>bias_prob</c> p wins over <c>bias</c> (bias = −log((1−p)/p)).</summary>
    internal double EffectiveBias => BiasProb is { } p ? -Math.Log((1 - p) / p) : Bias;
}

[ConfigType("Constant")]
public sealed record ConstantInitConfig : InitConfig
{
    public double Val { get; init; }
}

[ConfigType("Xavier")]
public sealed record XavierInitConfig : InitConfig
{
    public double Gain { get; init; } = 1;
    public InitDistribution Distribution { get; init; } = InitDistribution.Normal;
}

[ConfigType("Normal")]
public sealed record NormalInitConfig : InitConfig
{
    public double Mean { get; init; }
    public double Std { get; init; } = 1;
}

[ConfigType("TruncNormal")]
public sealed record TruncNormalInitConfig : InitConfig
{
    public double Mean { get; init; }
    public double Std { get; init; } = 1;
    public double A { get; init; } = -2;
    public double B { get; init; } = 2;
}

[ConfigType("Uniform")]
public sealed record UniformInitConfig : InitConfig
{
    public double A { get; init; }
    public double B { get; init; } = 1;
}

[ConfigType("Kaiming")]
public sealed record KaimingInitConfig : InitConfig
{
    public double A { get; init; }
    public FanMode Mode { get; init; } = FanMode.FanOut;
    public Nonlinearity Nonlinearity { get; init; } = Nonlinearity.Relu;
    public InitDistribution Distribution { get; init; } = InitDistribution.Normal;
}

/// <summary>MMEngine's Caffe2XavierInit: Kaiming with a=1, fan_in, leaky_relu, uniform; only the common keys.</summary>
[ConfigType("Caffe2Xavier")]
public sealed record Caffe2XavierInitConfig : InitConfig;

/// <summary>Non-strict load of a checkpoint (optionally only the keys under <see cref="Prefix"/>, prefix removed).</summary>
[ConfigType("Pretrained")]
public sealed record PretrainedInitConfig : InitConfig
{
    public string Checkpoint { get; init; } = "";
    public string? Prefix { get; init; }
    public string MapLocation { get; init; } = "cpu";
}

/// <summary>
/// An <c>override</c> entry holding only <c>name</c>: MMEngine reuses the enclosing entry's settings (minus
/// <c>layer</c>) for that attribute. It has no <c>type</c> in configs; the binder maps type-less override entries here.
/// </summary>
public sealed record InheritedInitConfig : InitConfig;

public enum InitDistribution { Normal, Uniform }

public enum FanMode { FanIn, FanOut }

/// <summary>PyTorch's <c>calculate_gain</c> nonlinearity names (snake_case in configs: relu, leaky_relu, ...).</summary>
public enum Nonlinearity { Linear, Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Sigmoid, Tanh, Relu, LeakyRelu }
