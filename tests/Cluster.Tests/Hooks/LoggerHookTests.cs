using Cluster.Training.Engine;
using Cluster.Training.Hooks;

namespace Cluster.Tests.Hooks;

public class LoggerHookTests
{
    private static List<IterationProgress> Reports(bool ignoreLast)
    {
        var hook = new LoggerHookConfig { Interval = 2, IgnoreLast = ignoreLast }.Create();
        var run = new RecordingContext(maxEpochs: 1, itersPerEpoch: 3);
        hook.BeforeRun(run.Context);
        foreach (double loss in new[] { 1.0, 3.0, 5.0 })
        {
            run.Context.CompletedIters++;
            run.Context.LastIteration = new IterationStats(loss, 0.1, null, BatchSize: 4, DataSeconds: 0.5, ComputeSeconds: 1.5);
            hook.AfterTrainIter(run.Context);
        }
        run.Context.CompletedEpochs++;
        hook.AfterTrainEpoch(run.Context);
        Assert.Equal(3.0, run.Events.OfType<EpochCompleted>().Single().MeanLoss);
        return run.Events.OfType<IterationProgress>().ToList();
    }

    [Fact]
    public void ReportsWindowMeansEveryIntervalAndTheEpochTailUnlessIgnored()
    {
        var reports = Reports(ignoreLast: false);
        Assert.Equal([2, 3], reports.Select(r => r.Iteration));
        Assert.Equal([2.0, 5.0], reports.Select(r => r.Loss));
        // 4 clips per 0.5 s data + 1.5 s compute.
        Assert.Equal(2.0, reports[0].ClipsPerSecond, 12);
        Assert.Equal(0.5, reports[0].DataTimeSeconds, 12);
        Assert.Equal(2.0, reports[0].IterationTimeSeconds, 12);

        Assert.Equal([2], Reports(ignoreLast: true).Select(r => r.Iteration));
    }
}
