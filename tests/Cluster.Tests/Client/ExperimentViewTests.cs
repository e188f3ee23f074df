using Cluster.Abstractions.Experiments;
using Cluster.Client.Views;
using Spectre.Console.Testing;

namespace Cluster.Tests.Client;

/// <summary>What `cluster watch` shows, rendered from hand-built statuses on Spectre's test console.</summary>
public class ExperimentViewTests
{
    private static readonly DateTimeOffset Created = new(2026, 12, 1, 7, 0, 0, TimeSpan.Zero);

    private static ExperimentStatus Running() => new()
    {
        Id = "tsn_tiny-20261201-070000-ab12",
        State = ExperimentState.Running,
        ConfigName = "tsn_tiny",
        RequestedWorkers = 2,
        Generation = 3,
        Workers =
        [
            new WorkerAssignment("10.0.0.8:11111@7/cpu:0", "silo-b", "cpu:0", 1),
            new WorkerAssignment("10.0.0.7:11111@5/cuda:1", "silo-a", "cuda:1", 0),
        ],
        Progress = new LiveProgress(Epoch: 2, MaxEpochs: 4, Iteration: 5, ItersPerEpoch: 10, GlobalIteration: 15,
            MaxIterations: 40, Loss: 1.23456, LearningRate: 0.02, ClipsPerSecond: 37.25, Eta: TimeSpan.FromSeconds(95),
            At: Created.AddMinutes(1)),
        Metrics = new Dictionary<string, double> { ["acc/top1"] = 0.625, ["acc/top5"] = 1.0 },
        Best = new BestMetric("acc/top1", 0.625, 1),
        History = [new EpochRecord(1, 1.5, 0.02, TimeSpan.FromSeconds(30), new Dictionary<string, double> { ["acc/top1"] = 0.625 })],
        CreatedAt = Created,
    };

    private static string Show(ExperimentStatus status)
    {
        var console = new TestConsole().Width(120);
        console.Write(ExperimentView.Render(status));
        return console.Output;
    }

    [Fact]
    public void RunningShowsProgressNumbersWorkersAndMetrics()
    {
        var text = Show(Running());

        Assert.Contains("tsn_tiny-20261201-070000-ab12", text);
        Assert.Contains("Running", text);
        Assert.Contains("2/4", text);   // epoch bar
        Assert.Contains("50%", text);
        Assert.Contains("5/10", text);  // iteration bar
        Assert.Contains("loss 1.2346", text);
        Assert.Contains("lr 2.0000e-02", text);
        Assert.Contains("clips/s 37.3", text);
        Assert.Contains("ETA 1:35", text);
        Assert.Contains("silo-a", text);
        Assert.Contains("silo-b", text);
        Assert.Contains("cuda:1", text);
        Assert.True(text.IndexOf("silo-a", StringComparison.Ordinal) < text.IndexOf("silo-b", StringComparison.Ordinal), "workers in rank order");
        Assert.Contains("acc/top1: 0.6250", text);
        Assert.Contains("acc/top5: 1.0000", text);
        Assert.Contains("best acc/top1: 0.6250 (epoch 1)", text);
        Assert.DoesNotContain("Completed", text);
    }

    [Fact]
    public void TheTestConsoleSeesNoAnsi()
    {
        Assert.DoesNotContain("\u001b[", Show(Running()));
    }

    [Fact]
    public void PendingSaysWhatItWaitsFor()
    {
        var text = Show(Running() with { State = ExperimentState.Pending, Progress = null, Workers = [], Reason = "2 free cpu slots" });

        Assert.Contains("Pending", text);
        Assert.Contains("waiting: 2 free cpu slots", text);
        Assert.DoesNotContain("loss", text);
    }

    [Theory]
    [InlineData(ExperimentState.Completed, null, "Completed after 1 epoch")]
    [InlineData(ExperimentState.Failed, "loss is NaN at epoch 2", "Failed loss is NaN at epoch 2")]
    [InlineData(ExperimentState.Cancelled, "cancelled by the user", "Cancelled cancelled by the user")]
    public void AnEndedRunClosesWithItsStateLine(ExperimentState state, string? reason, string expected)
    {
        var text = Show(Running() with { State = state, Reason = reason });

        var last = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[^1];
        Assert.Equal(expected, last);
    }

    [Fact]
    public void PlainLinesAreWrittenOncePerChangeInTheOrderTheyHappened()
    {
        var output = new StringWriter();
        var plain = new PlainProgressWriter(output);
        var first = Running();

        plain.Show(first);
        plain.Show(first); // an unchanged poll prints nothing
        plain.Show(first with
        {
            State = ExperimentState.Completed,
            Progress = first.Progress! with { Epoch = 4, Iteration = 10, GlobalIteration = 40 },
            History = [.. first.History, new EpochRecord(4, 0.5, 0.002, TimeSpan.FromSeconds(30), new Dictionary<string, double> { ["acc/top1"] = 0.875 })],
        });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "tsn_tiny-20261201-070000-ab12 Running",
            "tsn_tiny-20261201-070000-ab12 workers: cuda:1@silo-a, cpu:0@silo-b (generation 3)",
            "tsn_tiny-20261201-070000-ab12 epoch 1 val: acc/top1: 0.6250",
            "tsn_tiny-20261201-070000-ab12 epoch 2/4 iter 5/10  loss 1.2346  lr 2.0000e-02  clips/s 37.3  ETA 1:35",
            "tsn_tiny-20261201-070000-ab12 epoch 4/4 iter 10/10  loss 1.2346  lr 2.0000e-02  clips/s 37.3  ETA 1:35",
            "tsn_tiny-20261201-070000-ab12 epoch 4 val: acc/top1: 0.8750",
            "tsn_tiny-20261201-070000-ab12 Completed: after 4 epochs",
        ], lines);
        Assert.DoesNotContain('\u001b', output.ToString());
    }

    [Fact]
    public void TheWatchViewShowsTheGroupGenerationAndEachWorkersRankSiloAndDevice()
    {
        var text = Show(Running() with { RequestedWorkers = 4, MinWorkers = 2 });

        Assert.Contains("group generation 3: 2 workers (min 2, max 4)", text);
        var rank0 = text.Split('\n').Single(l => l.Contains("10.0.0.7:11111@5/cuda:1"));
        Assert.Matches(@"^\s*0\s+cuda:1\s+silo-a\s", rank0);
        var rank1 = text.Split('\n').Single(l => l.Contains("10.0.0.8:11111@7/cpu:0"));
        Assert.Matches(@"^\s*1\s+cpu:0\s+silo-b\s", rank1);
    }

    [Fact]
    public void APendingGroupSaysItWaitsForWorkers()
    {
        var text = Show(Running() with
        {
            State = ExperimentState.Pending, Progress = null, Workers = [], Reason = "waiting for workers: 1 of min 2 free",
        });

        Assert.Contains("waiting for workers: 1 of min 2 free", text);
        Assert.DoesNotContain("waiting: waiting", text);
    }

    [Fact]
    public void StatusTextShowsTheGroupAndWhatAPendingRunWaitsFor()
    {
        var output = new StringWriter();
        StatusText.Write(Running() with { RequestedWorkers = 4, MinWorkers = 2 }, output);
        var lines = output.ToString().Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains("workers:     2/4 (min 2)  generation 3  restarts 0", lines);
        Assert.Contains("rank 0: cuda:1 on silo silo-a (10.0.0.7:11111@5/cuda:1)", lines);
        Assert.Contains("rank 1: cpu:0 on silo silo-b (10.0.0.8:11111@7/cpu:0)", lines);

        var waiting = new StringWriter();
        StatusText.Write(Running() with { State = ExperimentState.Pending, Progress = null, Workers = [], Reason = "waiting for workers: 1 of min 2 free" }, waiting);
        Assert.Contains("state:       Pending (waiting for workers: 1 of min 2 free)", waiting.ToString().Split('\n', StringSplitOptions.TrimEntries));
    }

    [Fact]
    public void PlainLinesFollowANewGenerationOfTheSameWorkersAndAChangingWaitReason()
    {
        var output = new StringWriter();
        var plain = new PlainProgressWriter(output);
        var pending = Running() with
        {
            State = ExperimentState.Pending, Progress = null, Workers = [], History = [], Reason = "waiting for workers: 0 of min 2 free",
        };

        plain.Show(pending);
        plain.Show(pending with { Reason = "waiting for workers: 1 of min 2 free" });
        plain.Show(Running() with { Progress = null });
        plain.Show(Running() with { Progress = null, Generation = 4 });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(
        [
            "tsn_tiny-20261201-070000-ab12 Pending: waiting for workers: 0 of min 2 free",
            "tsn_tiny-20261201-070000-ab12 Pending: waiting for workers: 1 of min 2 free",
            "tsn_tiny-20261201-070000-ab12 Running",
            "tsn_tiny-20261201-070000-ab12 workers: cuda:1@silo-a, cpu:0@silo-b (generation 3)",
            "tsn_tiny-20261201-070000-ab12 epoch 1 val: acc/top1: 0.6250",
            "tsn_tiny-20261201-070000-ab12 workers: cuda:1@silo-a, cpu:0@silo-b (generation 4)",
        ], lines);
    }
}
