using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class AshaSchedulerTests
{
    private static AshaScheduler Asha(int grace, int factor, int maxT, MetricMode mode = MetricMode.Max) =>
        new(new AshaSchedulerSettings(grace, factor, maxT), mode);

    [Theory]
    [InlineData(1, 2, 8, new[] { 1, 2, 4 })]
    [InlineData(1, 3, 10, new[] { 1, 3, 9 })]
    [InlineData(2, 2, 9, new[] { 2, 4, 8 })]
    [InlineData(1, 4, 4, new[] { 1 })]
    [InlineData(3, 2, 3, new int[0])]
    public void RungsAreGracePeriodTimesPowersOfTheFactorBelowMaxT(int grace, int factor, int maxT, int[] expected) =>
        Assert.Equal(expected, AshaScheduler.Milestones(new AshaSchedulerSettings(grace, factor, maxT)));

    [Fact]
    public void MaxModeStopsTrialsBelowTheRungQuantile()
    {
        // grace 1, rf 2, max_t 4: rungs at 1 and 2; cutoff = 50th percentile (1 - 1/2) of what the rung recorded before.
        var asha = Asha(1, 2, 4);
        // Rung 1: A records 0.5 on an empty rung: no cutoff -> continue.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 1, 0.5));
        // B: cutoff = percentile50([0.5]) = 0.5; 0.3 < 0.5 -> stop. Recorded {A .5, B .3}.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("B", 1, 0.3));
        // C: cutoff = percentile50([.3, .5]) = .3 + (.5 - .3) * 0.5 = 0.4; 0.45 >= 0.4 -> continue. {.5, .3, .45}
        Assert.Equal(TrialDecision.Continue, asha.OnResult("C", 1, 0.45));
        // D: cutoff = percentile50([.3, .45, .5]) = .45 (the middle one); 0.44 < .45 -> stop.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("D", 1, 0.44));
        // A at epoch 2, rung 2 empty -> continue; recorded {A .6}.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 2, 0.6));
        // E at 1: rung 1 holds [.3, .44, .45, .5]: position .5 * 3 = 1.5 -> .44 + (.45 - .44) * .5 = .445 (interpolated,
        // not the median of a nearest rank); .446 >= .445 -> continue.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("E", 1, 0.446));
        // C at 2: cutoff = percentile50([.6]) = .6; .55 < .6 -> stop.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("C", 2, 0.55));
        // A at 3: rung 2 already holds A, rung 1 too: nothing to record -> continue.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 3, 0.1));
        // A at 4 = max_t: complete, whatever the metric.
        Assert.Equal(TrialDecision.Complete, asha.OnResult("A", 4, 0.0));
    }

    [Fact]
    public void MinModeMirrorsTheCutoff()
    {
        // Min mode negates: values -0.9, -1.2 -> a loss of 1.2 is worse than 0.9.
        var asha = Asha(1, 2, 4, MetricMode.Min);
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 1, 0.9));
        // cutoff = percentile50([-0.9]) = -0.9; -1.2 < -0.9 -> stop.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("B", 1, 1.2));
        // cutoff = percentile50([-1.2, -0.9]) = -1.05; -1.0 >= -1.05 -> continue (a loss of 1.0 beats the midpoint 1.05).
        Assert.Equal(TrialDecision.Continue, asha.OnResult("C", 1, 1.0));
        // cutoff = percentile50([-1.2, -1.0, -0.9]) = -1.0; -1.1 < -1.0 -> stop.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("D", 1, 1.1));
    }

    [Fact]
    public void ReductionFactorThreeKeepsTheTopThird()
    {
        // rf 3: cutoff = percentile (1 - 1/3) * 100 = 66.67 of the recorded values.
        var asha = Asha(1, 3, 9);
        foreach (var (trial, metric) in new[] { ("A", 0.1), ("B", 0.2), ("C", 0.3) })
            asha.OnResult(trial, 1, metric); // A: empty rung; B: cutoff .1, .2 ok; C: cutoff pct66.7([.1,.2]) = .1667, ok
        // D: recorded [.1, .2, .3]: position 2/3 * 2 = 1.333 -> .2 + (.3 - .2) * .333 = .2333; 0.23 < .2333 -> stop.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("D", 1, 0.23));
        // E: recorded [.1, .2, .23, .3]: position 2/3 * 3 = 2 -> .23; 0.24 >= .23 -> continue.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("E", 1, 0.24));
    }

    [Fact]
    public void AResultPastSkippedRungsRecordsOnlyAtTheHighestOneReached()
    {
        // Validation every 3 epochs (rungs 1, 2, 4; max_t 8): a result at epoch 3 lands on rung 2 only.
        var asha = Asha(1, 2, 8);
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 2, 0.8));
        // B at 3: rung 4 not reached; rung 2 holds [.8] -> cutoff .8; .7 < .8 -> stop. Rung 1 stays empty.
        Assert.Equal(TrialDecision.Stop, asha.OnResult("B", 3, 0.7));
        // C at 1: rung 1 is still empty (B was recorded at rung 2 only) -> continue even with a poor metric.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("C", 1, 0.01));
        // B again at 3 (a retry from a checkpoint re-reports): rung 2 has B, rung 1 does not: cutoff [.01] -> .7 ok.
        Assert.Equal(TrialDecision.Continue, asha.OnResult("B", 3, 0.7));
    }

    [Fact]
    public void NanMetricsNeitherStopNorCount()
    {
        // numpy's nanpercentile ignores NaN; a NaN metric is never below a cutoff.
        var asha = Asha(1, 2, 4);
        Assert.Equal(TrialDecision.Continue, asha.OnResult("A", 1, double.NaN));
        Assert.Equal(TrialDecision.Continue, asha.OnResult("B", 1, 0.2)); // cutoff nanpercentile([NaN]) = NaN
        Assert.Equal(TrialDecision.Stop, asha.OnResult("C", 1, 0.1));     // cutoff nanpercentile([NaN, .2]) = .2
    }

    [Fact]
    public void ReplayingTheSameResultsGivesTheSameDecisions()
    {
        var results = new[] { ("A", 1, .5), ("B", 1, .7), ("C", 1, .2), ("A", 2, .6), ("B", 2, .9), ("D", 1, .65), ("B", 4, .95) };
        var first = Asha(1, 2, 4);
        var decisions = results.Select(r => first.OnResult(r.Item1, r.Item2, r.Item3)).ToList();
        var replayed = Asha(1, 2, 4);
        Assert.Equal(decisions, results.Select(r => replayed.OnResult(r.Item1, r.Item2, r.Item3)));
        Assert.Equal(
            [TrialDecision.Continue, TrialDecision.Continue, TrialDecision.Stop, TrialDecision.Continue, TrialDecision.Continue,
             TrialDecision.Continue, TrialDecision.Complete],
            decisions);
    }
}
