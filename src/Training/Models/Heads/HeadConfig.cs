using Cluster.Training.Configs;
using Cluster.Training.Models.Init;

namespace Cluster.Training.Models.Heads;

/// <summary>A recogniser's <c>cls_head</c>: MMAction2 BaseHead keys, shared by every head type.</summary>
public abstract class HeadConfig
{
    public int NumClasses { get; init; }
    public int InChannels { get; init; }
    /// <summary>Null means CrossEntropyLoss, or BCELossWithLogits when <see cref="MultiClass"/>.</summary>
    public LossConfig? LossCls { get; init; }
    public bool MultiClass { get; init; }
    /// <summary>Applied to multi-hot labels of multi-class heads only, as MMAction2's BaseHead does.</summary>
    public double LabelSmoothEps { get; init; }
    /// <summary>Test-time combination of views: prob (softmax, then mean), score (mean), or null (none).</summary>
    public AverageClips? AverageClips { get; init; }
    public List<InitConfig>? InitCfg { get; init; }
}

public enum AverageClips { Prob, Score }

/// <summary>MMAction2's TSNHead: spatial average pool → segment consensus → dropout → <c>fc_cls</c>.</summary>
[ConfigType("TSNHead")]
public sealed class TSNHeadConfig : HeadConfig
{
    /// <summary>"avg" or null (no pooling).</summary>
    public string? SpatialType { get; init; } = "avg";
    public ConsensusConfig Consensus { get; init; } = new AvgConsensusConfig();
    public double DropoutRatio { get; init; } = 0.4;
    public double InitStd { get; init; } = 0.01;
}

/// <summary>MMAction2's I3DHead: spatio-temporal average pool → dropout → <c>fc_cls</c>.</summary>
[ConfigType("I3DHead")]
public sealed class I3DHeadConfig : HeadConfig
{
    public string? SpatialType { get; init; } = "avg";
    public double DropoutRatio { get; init; } = 0.5;
    public double InitStd { get; init; } = 0.01;
}

/// <summary>How TSN combines the per-segment features.</summary>
public abstract class ConsensusConfig;

/// <summary>Mean over <see cref="Dim"/> (the segment axis of [N, S, C, ...]).</summary>
[ConfigType("AvgConsensus")]
public sealed class AvgConsensusConfig : ConsensusConfig
{
    public int Dim { get; init; } = 1;
}
