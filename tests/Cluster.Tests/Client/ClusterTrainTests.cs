using System.Text.Json;
using Cluster.Tests.Experiments;

namespace Cluster.Tests.Client;

/// <summary>`cluster train` through a real silo: a tiny run completes and reports its metrics; a detached one cancels.</summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class ClusterTrainTests(TestSiloFixture silo) : IClassFixture<TestSiloFixture>, IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("cli-cluster-", classes: 3, videosPerClass: 5, seed: 4, frames: 8);

    public void Dispose() => data.Dispose();

    private string[] Train(int epochs, params string[] extra) =>
    [
        "train", DemoDataset.Config("demo/tsn_tiny_synth.yaml"), "--gateway", silo.Gateway, "--device", "cpu",
        .. data.Overrides().Concat([$"train_cfg.max_epochs={epochs}", $"param_scheduler.0.end={epochs}", "param_scheduler.0.milestones=[1]"])
            .SelectMany(o => new[] { "--set", o }),
        .. extra,
    ];

    [Fact]
    public void TrainFollowsTheRunToCompletedAndStatusReportsItsMetrics()
    {
        var train = CliRunner.Run(Train(2, "--json"));

        Assert.True(train.ExitCode == 0, train.Error);
        var id = train.OutputLines[0];
        Assert.StartsWith("tsn_tiny_synth-", id);
        using (var result = JsonDocument.Parse(train.OutputLines[^1]))
            Assert.Equal("completed", result.RootElement.GetProperty("status").GetString());
        // Plain progress lines, on stderr with --json. Iteration lines depend on when the polls fall; the epoch's
        // validation (kept in the run's history) and the closing line do not.
        Assert.True(train.Error.Contains($"{id} epoch 2 val: acc/mean1:"), train.Error);
        Assert.Contains($"{id} Completed: after 2 epochs", train.Error);

        var status = CliRunner.Run("status", id, "--json", "--gateway", silo.Gateway);

        Assert.True(status.ExitCode == 0, status.Error);
        using var json = JsonDocument.Parse(status.OutputLines[^1]);
        var root = json.RootElement;
        Assert.Equal("Completed", root.GetProperty("state").GetString());
        Assert.Equal(2, root.GetProperty("epoch").GetInt32());
        Assert.InRange(root.GetProperty("metrics").GetProperty("top1").GetDouble(), 0, 1);
        Assert.Equal(1.0, root.GetProperty("metrics").GetProperty("top5").GetDouble()); // 3 classes
        var checkpoints = root.GetProperty("checkpoints").EnumerateArray().ToList();
        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.Equal(64, c.GetProperty("sha256").GetString()!.Length));

        var logs = CliRunner.Run("logs", id, "--follow", "--gateway", silo.Gateway); // an ended run's log ends: --follow returns
        Assert.True(logs.ExitCode == 0, logs.Error);
        Assert.Contains(logs.OutputLines, line => line.Contains("submitted tsn_tiny_synth"));

        var list = CliRunner.Run("list", "--gateway", silo.Gateway);
        Assert.Contains(id, list.Output);
        Assert.Contains("Completed", list.Output);
    }

    [Fact]
    public void DetachedRunIsCancelledByCancel()
    {
        var train = CliRunner.Run(Train(50, "--detach"));

        Assert.True(train.ExitCode == 0, train.Error);
        var id = Assert.Single(train.OutputLines);

        var cancel = CliRunner.Run("cancel", id, "--gateway", silo.Gateway, "--json");

        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.StartsWith($"{id} Cancelled", cancel.OutputLines[0]);
        using var json = JsonDocument.Parse(cancel.OutputLines[^1]);
        Assert.Equal("cancelled", json.RootElement.GetProperty("status").GetString());

        var watch = CliRunner.Run("watch", id, "--gateway", silo.Gateway);
        Assert.Equal(130, watch.ExitCode); // watch of an ended run returns at once with the run's exit code
    }

    [Fact]
    public void AGroupBelowItsMinimumWaitsAndStatusSaysSo()
    {
        // The test silo has one CPU slot; the config asks for 3 workers, at least 2.
        var train = CliRunner.Run(Train(50, "--set", "workers=3", "--set", "min_workers=2", "--detach"));
        Assert.True(train.ExitCode == 0, train.Error);
        var id = Assert.Single(train.OutputLines);
        try
        {
            CliRunner.Result status;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            do
            {
                status = CliRunner.Run("status", id, "--gateway", silo.Gateway);
                Assert.True(status.ExitCode == 0, status.Error);
            } while (!status.Output.Contains("1 of min 2") && DateTime.UtcNow < deadline && Pause());

            Assert.Contains("state:       Pending (waiting for workers: 1 of min 2 free)", status.OutputLines);
            Assert.Contains("workers:     0/3 (min 2)  generation 0  restarts 0", status.OutputLines);
        }
        finally
        {
            CliRunner.Run("cancel", id, "--gateway", silo.Gateway);
        }
    }

    private static bool Pause()
    {
        Thread.Sleep(250);
        return true;
    }
}
