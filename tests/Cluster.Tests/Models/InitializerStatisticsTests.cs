using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

/// <summary>Each initialiser on a large layer against the analytic moments of its distribution.</summary>
public class InitializerStatisticsTests
{
    // Conv2d(64 → 128, 3×3): fan_in = 64·9 = 576, fan_out = 128·9 = 1152, 73,728 weights.
    private const double FanIn = 576, FanOut = 1152;

    private static TorchSharp.Modules.Conv2d Conv() => nn.Conv2d(64, 128, 3);

    private static (double Mean, double Std, double Min, double Max) Stats(Tensor t) =>
        (t.mean().item<float>(), t.std().item<float>(), t.min().item<float>(), t.max().item<float>());

    private static void AssertClose(double expected, double actual, double relative) =>
        Assert.InRange(actual, expected - Math.Abs(expected) * relative, expected + Math.Abs(expected) * relative);

    [Fact]
    public void ConstantWritesExactValues()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new ConstantInitConfig { Val = 0.25, Bias = -3 });
        Assert.True(conv.weight!.eq(0.25).all().item<bool>());
        Assert.True(conv.bias!.eq(-3).all().item<bool>());
    }

    [Fact]
    public void XavierNormalStdIsGainTimesSqrtTwoOverFanSum()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new XavierInitConfig { Gain = 2 });
        var (mean, std, _, _) = Stats(conv.weight!);
        AssertClose(2 * Math.Sqrt(2 / (FanIn + FanOut)), std, 0.03);
        Assert.InRange(mean, -0.002, 0.002);
    }

    [Fact]
    public void XavierUniformStaysWithinItsBound()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new XavierInitConfig { Distribution = InitDistribution.Uniform });
        var bound = Math.Sqrt(6 / (FanIn + FanOut));
        var (_, std, min, max) = Stats(conv.weight!);
        // torch draws in float32, so the bound itself is rounded to float before sampling.
        Assert.True(min >= (float)-bound && max <= (float)bound);
        AssertClose(bound / Math.Sqrt(3), std, 0.03);
    }

    [Fact]
    public void NormalHasItsMeanAndStd()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new NormalInitConfig { Mean = 1, Std = 0.5, Bias = 0.1 });
        var (mean, std, _, _) = Stats(conv.weight!);
        AssertClose(1, mean, 0.01);
        AssertClose(0.5, std, 0.02);
        Assert.True(conv.bias!.allclose(full(128, 0.1f)));
    }

    [Fact]
    public void TruncNormalStaysInRangeWithTheTruncatedMoments()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new TruncNormalInitConfig { Mean = 0, Std = 1, A = -1, B = 2 });
        var (mean, std, min, max) = Stats(conv.weight!);
        Assert.True(min >= -1 && max <= 2);
        // Truncated N(0,1) on [-1, 2]: α=-1, β=2, Z=Φ(β)−Φ(α); mean=(φ(α)−φ(β))/Z = 0.229637,
        // var = 1 + (αφ(α) − βφ(β))/Z − mean² → std 0.720946 (computed by hand with math.erf).
        AssertClose(0.229637, mean, 0.04);
        AssertClose(0.720946, std, 0.02);
    }

    [Fact]
    public void UniformStaysWithinAAndB()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new UniformInitConfig { A = -0.3, B = 0.7 });
        var (mean, std, min, max) = Stats(conv.weight!);
        // Compared in float32: torch samples between float(-0.3) and float(0.7), and float(-0.3) < -0.3 as a double.
        Assert.True(min >= -0.3f && max <= 0.7f);
        AssertClose(0.2, mean, 0.03);
        AssertClose(1 / Math.Sqrt(12), std, 0.02);
    }

    [Fact]
    public void KaimingDefaultIsFanOutReluNormal()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new KaimingInitConfig());
        AssertClose(Math.Sqrt(2) / Math.Sqrt(FanOut), Stats(conv.weight!).Std, 0.03);
        Assert.True(conv.bias!.eq(0).all().item<bool>());
    }

    [Fact]
    public void KaimingUniformFanInBound()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new KaimingInitConfig
        {
            Mode = FanMode.FanIn, Distribution = InitDistribution.Uniform,
        });
        var bound = Math.Sqrt(2) * Math.Sqrt(3 / FanIn);
        var (_, std, min, max) = Stats(conv.weight!);
        // torch draws in float32, so the bound itself is rounded to float before sampling.
        Assert.True(min >= (float)-bound && max <= (float)bound);
        AssertClose(bound / Math.Sqrt(3), std, 0.03);
    }

    [Fact]
    public void Caffe2XavierIsUniformWithBoundSqrtThreeOverFanIn()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new Caffe2XavierInitConfig());
        // leaky_relu gain with a=1 is sqrt(2 / (1 + 1)) = 1.
        var bound = Math.Sqrt(3 / FanIn);
        var (_, std, min, max) = Stats(conv.weight!);
        // torch draws in float32, so the bound itself is rounded to float before sampling.
        Assert.True(min >= (float)-bound && max <= (float)bound);
        AssertClose(bound / Math.Sqrt(3), std, 0.03);
    }

    [Fact]
    public void BiasProbGivesMinusLogOfOddsAndWinsOverBias()
    {
        using var conv = Conv();
        ModuleInitializers.Apply(conv, new NormalInitConfig { Std = 0.01, Bias = 5, BiasProb = 0.01 });
        // −log((1 − 0.01) / 0.01) = −log 99 = −4.59512.
        Assert.True(conv.bias!.allclose(full(128, -4.59512f)));
    }
}
