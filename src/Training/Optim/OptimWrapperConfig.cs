using Cluster.Training.Configs;

namespace Cluster.Training.Optim;

/// <summary>MMEngine's <c>optim_wrapper</c> section (plain <c>OptimWrapper</c>; no AMP, no paramwise_cfg).</summary>
public sealed class OptimWrapperConfig
{
    public string Type { get; init; } = "OptimWrapper";
    public required OptimizerConfig Optimizer { get; init; }
    public ClipGradConfig? ClipGrad { get; init; }
    public int AccumulativeCounts { get; init; } = 1;
}

/// <summary><c>clip_grad</c>: gradients are clipped by their total norm before each optimizer step.</summary>
public sealed class ClipGradConfig
{
    public double MaxNorm { get; init; }
    public double NormType { get; init; } = 2;
}

/// <summary><c>optim_wrapper.optimizer</c>; the concrete class is picked by <c>type</c>.</summary>
public abstract class OptimizerConfig
{
    public double Lr { get; init; }
    public abstract double WeightDecay { get; init; }
}

[ConfigType("SGD")]
public sealed class SgdConfig : OptimizerConfig
{
    public double Momentum { get; init; }
    public override double WeightDecay { get; init; }
    public double Dampening { get; init; }
    public bool Nesterov { get; init; }
}

[ConfigType("AdamW")]
public sealed class AdamWConfig : OptimizerConfig
{
    public List<double> Betas { get; init; } = [0.9, 0.999];
    public double Eps { get; init; } = 1e-8;
    public override double WeightDecay { get; init; } = 0.01;
    public bool Amsgrad { get; init; }
}
