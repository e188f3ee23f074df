namespace Cluster.Training.Engine;

/// <summary>MMEngine's <c>train_cfg</c> for EpochBasedTrainLoop.</summary>
public sealed class TrainLoopConfig
{
    public string Type { get; init; } = "EpochBasedTrainLoop";
    public int MaxEpochs { get; init; }
    /// <summary>Validate from this many completed epochs on…</summary>
    public int ValBegin { get; init; } = 1;
    /// <summary>…every this many epochs (and after the last).</summary>
    public int ValInterval { get; init; } = 1;
}

/// <summary>MMEngine's <c>randomness</c>: the seed for torch's generators (null: drawn at random and logged).</summary>
public sealed class RandomnessConfig
{
    public long? Seed { get; init; }
    /// <summary>MMEngine sets cuDNN's deterministic flags; CPU kernels here are deterministic already and TorchSharp
    /// exposes no cuDNN switch, so the key is accepted for compatibility.</summary>
    public bool Deterministic { get; init; }
    /// <summary>Distinct seeds per rank (the data-parallel issue gives this meaning).</summary>
    public bool DiffRankSeed { get; init; }
}
