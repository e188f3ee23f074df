using Cluster.Training.Configs;

namespace Cluster.Training.Models.Heads;

/// <summary>A head's <c>loss_cls</c> (mmaction/models/losses); the result is multiplied by <see cref="LossWeight"/>.</summary>
public abstract class LossConfig
{
    public double LossWeight { get; init; } = 1.0;
    public List<double>? ClassWeight { get; init; }
}

/// <summary>Cross-entropy on class indices; on [N, K] soft/multi-hot labels −Σ label·log_softmax (MMAction2).</summary>
[ConfigType("CrossEntropyLoss")]
public sealed class CrossEntropyLossConfig : LossConfig;

/// <summary>Sigmoid binary cross-entropy on [N, K] multi-hot labels.</summary>
[ConfigType("BCELossWithLogits")]
public sealed class BCELossWithLogitsConfig : LossConfig;
