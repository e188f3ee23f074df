using Cluster.Training.Engine;
using Cluster.Training.Hooks;

namespace Cluster.Tests.Hooks;

public class EarlyStoppingHookTests
{
    /// <summary>Feeds validation scores until the hook stops the run; returns how many it saw.</summary>
    private static (int Seen, RecordingContext Run) Feed(EarlyStoppingHookConfig config, params double[] scores)
    {
        var hook = config.Create();
        var run = new RecordingContext(maxEpochs: scores.Length);
        int seen = 0;
        foreach (double score in scores)
        {
            seen++;
            hook.AfterValEpoch(run.Context, new Dictionary<string, double> { [config.Monitor] = score });
            if (run.Context.StopTraining)
            {
                break;
            }
        }
        return (seen, run);
    }

    [Fact]
    public void StopsAfterPatienceValidationsWithoutAnImprovementOfMinDelta()
    {
        // 0.5 best; 0.55 is within min_delta 0.1 (wait 1); 0.7 improves (reset); 0.75, 0.79 wait 1, 2 → stop.
        var (seen, run) = Feed(new EarlyStoppingHookConfig { Monitor = "acc/top1", Patience = 2 }, 0.5, 0.55, 0.7, 0.75, 0.79, 0.99);
        Assert.Equal(5, seen);
        Assert.Contains("did not improve in the last 2 records", run.Context.StopReason);
        Assert.Equal(0.7, run.Context.RuntimeInfo["early_stopping_best_score"]);
    }

    [Fact]
    public void LossIsMonitoredAsLessAndTheThresholdStopsAtOnce()
    {
        var (seen, run) = Feed(new EarlyStoppingHookConfig { Monitor = "loss", StoppingThreshold = 0.2, MinDelta = 0.01 },
            1.0, 0.5, 0.1, 0.05);
        Assert.Equal(3, seen);
        Assert.StartsWith("Stopping threshold reached", run.Context.StopReason);
    }

    [Fact]
    public void NonFiniteMetricStopsWhenCheckFinite()
    {
        var (seen, _) = Feed(new EarlyStoppingHookConfig { Monitor = "acc/top1" }, 0.5, double.NaN, 0.6);
        Assert.Equal(2, seen);
    }

    [Fact]
    public void MissingMonitorIsSkippedUnlessStrict()
    {
        var lenient = new RecordingContext(maxEpochs: 1);
        new EarlyStoppingHookConfig { Monitor = "acc/top1" }.Create()
            .AfterValEpoch(lenient.Context, new Dictionary<string, double> { ["acc/mean1"] = 0.3 });
        Assert.Contains(lenient.Events.OfType<TrainingMessage>(), m => m.Text.Contains("acc/top1"));

        var strict = new RecordingContext(maxEpochs: 1);
        Assert.Throws<InvalidOperationException>(() => new EarlyStoppingHookConfig { Monitor = "acc/top1", Strict = true }
            .Create().AfterValEpoch(strict.Context, new Dictionary<string, double> { ["acc/mean1"] = 0.3 }));
    }
}
