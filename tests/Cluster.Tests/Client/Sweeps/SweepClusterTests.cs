using System.Text.Json;
using Cluster.Tests.Experiments;
using Cluster.Tests.Sweeps;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>
/// The sweep commands through a real silo (one CPU slot): a two-trial grid sweep of the tiny TSN is submitted, followed
/// to its end, shown, listed and reported, and its best trial retrained; a detached sweep is cancelled; unknown ids are
/// named.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class SweepClusterTests(TestSiloFixture silo) : IClassFixture<TestSiloFixture>, IDisposable
{
    private const string Lr = "optim_wrapper.optimizer.lr";
    private readonly DemoDataset data = DemoDataset.Create("cli-sweep-", classes: 3, videosPerClass: 5, seed: 4, frames: 8);
    private readonly SweepSpecFiles specs = new();
    private readonly string reportDirectory = Path.Combine(Path.GetTempPath(), $"sweep-report-{Guid.NewGuid():N}");

    public void Dispose()
    {
        data.Dispose();
        specs.Dispose();
        if (Directory.Exists(reportDirectory)) Directory.Delete(reportDirectory, recursive: true);
    }

    /// <summary>A grid over two learning rates, one trial at a time, FIFO (every trial runs its epochs).</summary>
    private string[] Submit(int epochs, params string[] extra)
    {
        var spec = specs.Write($$"""
            train_cfg: {max_epochs: {{epochs}}}
            param_scheduler:
              - {type: MultiStepLR, begin: 0, end: {{epochs}}, by_epoch: true, milestones: [1], gamma: 0.1}
            default_hooks:
              checkpoint: {interval: 1, save_best: auto, max_keep_ckpts: 1}
            search_space:
              {{Lr}}: {type: grid, values: [0.01, 0.05]}
            sweep:
              search_alg: grid
              num_samples: 1
              metric: acc/top1
              mode: max
              max_concurrent_trials: 1
              scheduler: {type: fifo}
            """);
        return ["sweep", "submit", spec, "--gateway", silo.Gateway, "--device", "cpu", .. data.Overrides().SelectMany(o => new[] { "--set", o }), .. extra];
    }

    [Fact]
    public void SubmitFollowsToCompletedThenStatusListReportAndRetrainTheBest()
    {
        var submit = CliRunner.Run(Submit(2, "--json"));

        Assert.True(submit.ExitCode == 0, submit.Error);
        var id = submit.OutputLines[0];
        Assert.StartsWith("spec-", id);
        using (var result = JsonDocument.Parse(submit.OutputLines[^1]))
            Assert.Equal("completed", result.RootElement.GetProperty("status").GetString());
        // Plain progress on stderr with --json: each trial's end, then the best and the closing line.
        Assert.Contains($"{id}-t000 completed epoch 2 acc/top1: ", submit.Error);
        Assert.Contains($"{id}-t001 completed epoch 2 acc/top1: ", submit.Error);
        Assert.Contains($"{id} Completed: 2 trials: 2 completed", submit.Error);

        var status = CliRunner.Run("sweep", "status", id, "--json", "--gateway", silo.Gateway);
        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.OutputLines[^1]);
        var trials = json.RootElement.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal([0.01, 0.05], trials.Select(t => t.GetProperty("parameters").GetProperty(Lr).GetDouble()));
        Assert.All(trials, t => Assert.Equal("completed", t.GetProperty("state").GetString()));
        Assert.All(trials, t => Assert.Equal(2, t.GetProperty("epochs").GetInt32()));
        // The best is the trial with the best final metric (ties: the first).
        var finals = trials.Select(t => t.GetProperty("last_metric").GetDouble()).ToList();
        var best = json.RootElement.GetProperty("best");
        Assert.Equal(finals.Max(), best.GetProperty("metric").GetDouble());
        var bestTrial = trials[finals.IndexOf(finals.Max())].GetProperty("trial").GetString();
        Assert.Equal(bestTrial, best.GetProperty("trial").GetString());
        Assert.False(string.IsNullOrEmpty(best.GetProperty("checkpoint").GetString()));

        var table = CliRunner.Run("sweep", "status", id, "--gateway", silo.Gateway);
        Assert.True(table.ExitCode == 0, table.Error);
        Assert.Contains($"*{bestTrial![(id.Length + 1)..]}", table.Output); // t000 or t001, marked

        var list = CliRunner.Run("sweep", "list", "--gateway", silo.Gateway);
        Assert.True(list.ExitCode == 0, list.Error);
        Assert.Contains(list.OutputLines, line => line.Contains(id) && line.Contains("Completed") && line.Contains("2/2"));

        var report = CliRunner.Run("sweep", "report", id, "--out", reportDirectory, "--gateway", silo.Gateway);
        Assert.True(report.ExitCode == 0, report.Error);
        Assert.Equal(["results.csv", "results.json", "learning_curves.png", $"param_{Lr}.png"], report.OutputLines.Select(Path.GetFileName));
        Assert.Equal(3, File.ReadAllLines(Path.Combine(reportDirectory, "results.csv")).Length);

        var retrain = CliRunner.Run("retrain", "--from-sweep", id, "--epochs", "1", "--warm-start", "--workers", "1", "--json",
            "--gateway", silo.Gateway);
        Assert.True(retrain.ExitCode == 0, retrain.Error);
        Assert.Contains($"retraining {bestTrial} (acc/top1 ", retrain.Error);
        Assert.StartsWith("spec-best-", retrain.OutputLines[0]);
        using var retrained = JsonDocument.Parse(retrain.OutputLines[^1]);
        Assert.Equal("completed", retrained.RootElement.GetProperty("status").GetString());
        Assert.Equal(1, retrained.RootElement.GetProperty("epoch").GetInt32());
    }

    [Fact]
    public void DetachedSweepIsCancelledAndWatchReturnsItsExitCode()
    {
        var submit = CliRunner.Run(Submit(50, "--detach"));

        Assert.True(submit.ExitCode == 0, submit.Error);
        var id = Assert.Single(submit.OutputLines);

        var cancel = CliRunner.Run("sweep", "cancel", id, "--gateway", silo.Gateway, "--json");
        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.StartsWith($"{id} Cancelled", cancel.OutputLines[0]);
        using (var json = JsonDocument.Parse(cancel.OutputLines[^1]))
            Assert.Equal("cancelled", json.RootElement.GetProperty("status").GetString());

        var watch = CliRunner.Run("sweep", "watch", id, "--gateway", silo.Gateway);
        Assert.Equal(130, watch.ExitCode);

        var retrain = CliRunner.Run("retrain", "--from-sweep", id, "--gateway", silo.Gateway);
        Assert.Equal(2, retrain.ExitCode);
        Assert.Contains($"--from-sweep {id}: the sweep has no completed best trial", Assert.Single(retrain.ErrorLines));
    }

    [Theory]
    [InlineData("sweep", "status", "ID")]
    [InlineData("sweep", "watch", "ID")]
    [InlineData("sweep", "cancel", "ID")]
    [InlineData("sweep", "report", "ID", "--out", "OUT")]
    [InlineData("retrain", "--from-sweep", "ID")]
    public void UnknownSweepIsNamed(params string[] command)
    {
        var args = command.Select(a => a switch { "ID" => "no-such-sweep", "OUT" => reportDirectory, _ => a })
            .Concat(["--gateway", silo.Gateway]).ToArray();

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: unknown sweep 'no-such-sweep'", Assert.Single(result.ErrorLines));
        Assert.False(Directory.Exists(reportDirectory));
    }
}
