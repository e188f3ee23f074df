using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

public class SweepResultsTests
{
    private static readonly TrialOutcome[] Trials =
    [
        new("t000", 0.60, Finished: true),
        new("t001", 0.90, Finished: false), // still running: not a result yet
        new("t002", 0.70, Finished: true),  // e.g. stopped by ASHA with this metric
        new("t003", null, Finished: true),  // finished without a metric
        new("t004", double.NaN, Finished: true),
        new("t005", 0.55, Finished: true),
        new("t006", 0.70, Finished: true),  // ties with t002, listed later
    ];

    [Fact]
    public void MaxModePicksTheHighestFinishedMetricAndTheFirstOfTies() =>
        Assert.Equal("t002", SweepResults.Best(Trials, MetricMode.Max)!.TrialId);

    [Fact]
    public void MinModePicksTheLowest() => Assert.Equal("t005", SweepResults.Best(Trials, MetricMode.Min)!.TrialId);

    [Fact]
    public void NoFinishedTrialWithAMetricMeansNoBest() =>
        Assert.Null(SweepResults.Best([new("t0", 1.0, false), new("t1", null, true)], MetricMode.Max));
}
