using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

// Small section classes following the config conventions, used only by ConfigBinderTests.
public sealed class TestModelSection
{
    public required TestBackboneSection Backbone { get; init; }
    public TestHeadSection? ClsHead { get; init; }
    public Dictionary<string, object?> DataPreprocessor { get; init; } = [];
}

public abstract class TestBackboneSection
{
    public string? Pretrained { get; init; }
}

[ConfigType("ResNet")]
public sealed class TestResNetSection : TestBackboneSection
{
    public required int Depth { get; init; }
    public bool NormEval { get; init; }
    public int[] OutIndices { get; init; } = [3];
}

[ConfigType("ResNet3dSlowOnly")]
public sealed class TestSlowOnlySection : TestBackboneSection
{
    public int Depth { get; init; } = 50;
    public List<int> SpatialStrides { get; init; } = [1, 2, 2, 2];
}

public enum TestClipAveraging { Score, Prob, LeakyRelu }

[ConfigType("TSNHead")]
public sealed class TestHeadSection
{
    public int NumClasses { get; init; } = 400;
    public float DropoutRatio { get; init; } = 0.4f;
    public double InitStd { get; init; } = 0.01;
    public long? Seed { get; init; }
    public TestClipAveraging AverageClips { get; init; } = TestClipAveraging.Prob;
    public List<string> Tags { get; init; } = [];
    public Dictionary<string, double> LossWeights { get; init; } = [];
    public object? Extra { get; init; }
}

[ConfigType("CosineAnnealingLR")]
public sealed class TestCosineSection
{
    [ConfigKey("T_max")]
    public int TMax { get; init; }
    public bool ByEpoch { get; init; } = true;
}
