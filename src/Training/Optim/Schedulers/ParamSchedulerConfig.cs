using Cluster.Training.Configs;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>One entry of <c>param_scheduler</c>; the concrete class is picked by <c>type</c>.</summary>
public abstract class ParamSchedulerConfig
{
    public int Begin { get; init; }
    /// <summary>Exclusive; null = max_epochs (by_epoch) or max_iters, as MMEngine's runner fills it in.</summary>
    public int? End { get; init; }
    public bool ByEpoch { get; init; } = true;
    /// <summary>Multiply begin/end (and milestones, step_size, T_max) by the iterations per epoch; steps per iteration.</summary>
    public bool ConvertToIterBased { get; init; }
}

[ConfigType("LinearLR")]
public sealed class LinearLRConfig : ParamSchedulerConfig
{
    public double StartFactor { get; init; } = 1.0 / 3;
    public double EndFactor { get; init; } = 1.0;
}

[ConfigType("MultiStepLR")]
public sealed class MultiStepLRConfig : ParamSchedulerConfig
{
    public List<int> Milestones { get; init; } = [];
    public double Gamma { get; init; } = 0.1;
}

[ConfigType("StepLR")]
public sealed class StepLRConfig : ParamSchedulerConfig
{
    public int StepSize { get; init; }
    public double Gamma { get; init; } = 0.1;
}

[ConfigType("CosineAnnealingLR")]
public sealed class CosineAnnealingLRConfig : ParamSchedulerConfig
{
    /// <summary>Null = end − begin.</summary>
    [ConfigKey("T_max")]
    public int? TMax { get; init; }
    public double? EtaMin { get; init; }
    public double? EtaMinRatio { get; init; }
}

[ConfigType("ConstantLR")]
public sealed class ConstantLRConfig : ParamSchedulerConfig
{
    public double Factor { get; init; } = 1.0 / 3;
}

[ConfigType("ExponentialLR")]
public sealed class ExponentialLRConfig : ParamSchedulerConfig
{
    public double Gamma { get; init; }
}
