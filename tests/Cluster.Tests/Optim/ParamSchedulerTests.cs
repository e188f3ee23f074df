using Cluster.Training.Optim.Schedulers;
using static Cluster.Tests.Optim.ScheduleRecorder;

namespace Cluster.Tests.Optim;

public class ParamSchedulerTests
{
    private static void AssertSequence(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) < 1e-12, $"step {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    [Fact]
    public void LinearWarmupThenMultiStepMatchesMMEngineReferenceExample()
    {
        // mmengine tests/test_optim/test_scheduler: lr 0.05, LinearLR(0.5, 0..5) + MultiStepLR([3, 6], begin 5).
        var actual = LrPerEpoch(0.05, 12,
            new LinearLRConfig { StartFactor = 0.5, Begin = 0, End = 5 },
            new MultiStepLRConfig { Milestones = [3, 6], Begin = 5 });
        AssertSequence([0.025, 0.03125, 0.0375, 0.04375, 0.05, 0.05, 0.05, 0.05, 0.005, 0.005, 0.005, 0.0005], actual);
    }

    [Fact]
    public void SeedFineTuneRecipeDropsTenfoldAtEpochs20And40()
    {
        var actual = LrPerEpoch(0.005, 50,
            new MultiStepLRConfig { Begin = 0, End = 50, Milestones = [20, 40], Gamma = 0.1 });
        var expected = Enumerable.Range(0, 50).Select(e => e < 20 ? 0.005 : e < 40 ? 0.0005 : 0.00005).ToArray();
        AssertSequence(expected, actual);
    }

    [Fact]
    public void IterationWarmupComposesWithEpochMultiStep()
    {
        // 4 iterations per epoch; LinearLR(0.1) over iterations 0..4: factor 0.1 + 0.9·t/4; MultiStepLR([2]) by epoch.
        var actual = LrPerIteration(1.0, 3, 4,
            new LinearLRConfig { StartFactor = 0.1, Begin = 0, End = 5, ByEpoch = false },
            new MultiStepLRConfig { Milestones = [2] });
        AssertSequence([0.1, 0.325, 0.55, 0.775, 1, 1, 1, 1, 0.1, 0.1, 0.1, 0.1], actual);
    }

    [Fact]
    public void CosineActsOnlyBetweenBeginAndEnd()
    {
        // T_max = end − begin = 4: lr = 0.1 + 0.9·(1 + cos(πt/4))/2 for t = 0..3, then held.
        var actual = LrPerEpoch(1.0, 8, new CosineAnnealingLRConfig { Begin = 2, End = 6, EtaMin = 0.1 });
        double At(int t) => 0.1 + 0.9 * (1 + Math.Cos(Math.PI * t / 4)) / 2;
        AssertSequence([1, 1, At(0), At(1), At(2), At(3), At(3), At(3)], actual);
    }

    [Fact]
    public void ConvertToIterBasedScalesMilestonesAndCosinePeriod()
    {
        var multiStep = LrPerIteration(1.0, 2, 3, new MultiStepLRConfig { Milestones = [1], ConvertToIterBased = true });
        AssertSequence([1, 1, 1, 0.1, 0.1, 0.1], multiStep);

        // end 2 epochs × 2 iterations → T_max 4 iterations; minimum = 0.5 × base lr.
        var cosine = LrPerIteration(1.0, 2, 2,
            new CosineAnnealingLRConfig { ConvertToIterBased = true, EtaMinRatio = 0.5 });
        double At(int t) => 0.5 + 0.5 * (1 + Math.Cos(Math.PI * t / 4)) / 2;
        AssertSequence([At(0), At(1), At(2), At(3)], cosine);
    }

    [Fact]
    public void StepExponentialAndConstantFollowTheirClosedForms()
    {
        AssertSequence([1, 1, 0.5, 0.5, 0.25], LrPerEpoch(1.0, 5, new StepLRConfig { StepSize = 2, Gamma = 0.5 }));
        AssertSequence([1, 0.5, 0.25, 0.125], LrPerEpoch(1.0, 4, new ExponentialLRConfig { Gamma = 0.5 }));
        AssertSequence([0.25, 0.25, 1, 1, 1], LrPerEpoch(1.0, 5, new ConstantLRConfig { Factor = 0.25, End = 3 }));
    }

    [Fact]
    public void EndNotAfterBeginIsRejectedWithItsIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => LrPerEpoch(1.0, 5,
            new MultiStepLRConfig { Milestones = [1] }, new LinearLRConfig { Begin = 3, End = 3 }));
        Assert.StartsWith("param_scheduler[1]", error.Message);
    }
}
