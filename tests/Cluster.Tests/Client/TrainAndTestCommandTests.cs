using System.Text.Json;
using Cluster.Tests.Experiments;

namespace Cluster.Tests.Client;

/// <summary>`cluster train --json` then `cluster test --json` on a small synthetic set, through the real command tree.</summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class TrainAndTestCommandTests : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("cli-train-", classes: 3, videosPerClass: 5, seed: 4, frames: 8);
    private readonly string work = Directory.CreateTempSubdirectory("cli-train-work-").FullName;

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void TrainPrintsTheResultAsTheLastJsonLineAndTestEvaluatesItsBestCheckpoint()
    {
        var overrides = data.Overrides().Concat(["train_cfg.max_epochs=2", "param_scheduler.0.end=2", "param_scheduler.0.milestones=[1]"])
            .SelectMany(o => new[] { "--set", o });
        var train = CliRunner.Run([.. new[] { "train", "--in-process", DemoDataset.Config("demo/tsn_tiny_synth.yaml"), "--work-dir", work, "--json", "--device", "cpu" }, .. overrides]);

        Assert.True(train.ExitCode == 0, train.Error);
        using var result = JsonDocument.Parse(train.OutputLines[^1]);
        var root = result.RootElement;
        Assert.Equal("completed", root.GetProperty("status").GetString());
        Assert.Equal(2, root.GetProperty("epochs").GetInt32());
        var metrics = root.GetProperty("metrics");
        foreach (var name in new[] { "top1", "top5", "mean_class_acc" })
            Assert.InRange(metrics.GetProperty(name).GetDouble(), 0, 1);
        Assert.Equal(1.0, metrics.GetProperty("top5").GetDouble()); // 3 classes: the true one is always in the top 5
        var best = root.GetProperty("best_checkpoint").GetString()!;
        Assert.True(File.Exists(best), best);
        Assert.Contains("Epoch(train) [2/2]", train.Error); // with --json the live log goes to stderr
        Assert.True(File.Exists(Path.Combine(work, "latest.pth")));
        Assert.Equal(2, File.ReadAllLines(Path.Combine(work, "scalars.json")).Count(l => l.Contains("acc/top1")));

        var test = CliRunner.Run([.. new[] { "test", DemoDataset.Config("demo/tsn_tiny_synth.yaml"), "--checkpoint", best, "--json", "--device", "cpu" },
            .. overrides]);

        Assert.True(test.ExitCode == 0, test.Error);
        using var tested = JsonDocument.Parse(test.OutputLines[^1]);
        Assert.Equal("completed", tested.RootElement.GetProperty("status").GetString());
        Assert.InRange(tested.RootElement.GetProperty("metrics").GetProperty("top1").GetDouble(), 0, 1);
        Assert.Contains("Epoch(test)", test.Error);
    }
}
