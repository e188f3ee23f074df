using System.Security.Cryptography;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Data;
using Cluster.Grains.Workers;
using Cluster.Tests.Experiments;
using Cluster.Training.Configs;

namespace Cluster.Tests.Workers;

/// <summary>
/// A worker's run against a temp-folder artifact store and the real shard grains, reporting into a list: events in
/// order, checkpoints stored with verifiable hashes, resume from a stored checkpoint, cancellation, a bad data path.
/// </summary>
[Collection(ShardClusterCollection.Name)]
public sealed class WorkerRunTests(ShardClusterFixture fixture) : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("worker-data-", classes: 3, videosPerClass: 4, seed: 9, frames: 4);
    private readonly List<WorkerReport> reports = [];

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task ARunReportsInOrderStoresCheckpointsAndResumesFromOne()
    {
        var yaml = MergedConfig(out var document, "train_cfg.max_epochs=2");
        var run = Run(Start("exp-run", 1, yaml));
        run.Start();
        await run.Completion;

        var events = Events();
        Assert.Contains("training on cpu", Assert.IsType<LogReported>(events[0]).Line);
        var finished = Assert.IsType<RunFinished>(events[^1]);
        Assert.Equal(("Completed", 2), (finished.Status, finished.EpochsRun));
        Assert.Equal([1, 2], events.OfType<EpochReported>().Select(e => e.Epoch.Epoch));
        Assert.NotEmpty(events.OfType<ValidationReported>());
        var stored = events.OfType<CheckpointReported>().Select(c => c.Checkpoint).Where(c => !c.IsBest).ToList();
        Assert.Equal([1, 2], stored.Select(c => c.Epoch));
        Assert.True(events.FindIndex(e => e is EpochReported { Epoch.Epoch: 1 }) < events.FindIndex(e => e is CheckpointReported));
        foreach (var checkpoint in stored)
        {
            Assert.Equal($"experiments/exp-run/epoch_{checkpoint.Epoch}.pth", checkpoint.Key);
            var bytes = await File.ReadAllBytesAsync(fixture.Store.UriOf(checkpoint.Key).Replace("file://", ""));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), checkpoint.Sha256);
            Assert.Equal(bytes.Length, checkpoint.Bytes);
        }

        int samplesPerEpoch = File.ReadAllLines(data.Result.TrainList!).Count(line => line.Trim().Length > 0);
        var shard = fixture.Client.GetGrain<IDatasetShardGrain>(ShardKey.For(DatasetIdentity.Of(document), "train", 0, 1));
        Assert.Equal(new ShardConsumption(2, samplesPerEpoch), await shard.GetConsumption("exp-run"));

        reports.Clear();
        var resumed = Run(Start("exp-run", 2, yaml) with { ResumeFrom = stored[0] });
        resumed.Start();
        await resumed.Completion;

        events = Events();
        Assert.Contains(events.OfType<LogReported>(), log => log.Line.StartsWith($"resuming epoch 2 at sample 0 of {samplesPerEpoch} (shard "));
        Assert.Equal([2], events.OfType<EpochReported>().Select(e => e.Epoch.Epoch));
        Assert.Equal(2, Assert.IsType<RunFinished>(events[^1]).EpochsRun);
        Assert.All(reports, report => Assert.Equal(2, report.Generation));
    }

    [Fact]
    public async Task StopCancelsMidEpoch()
    {
        var yaml = MergedConfig(out _, "train_cfg.max_epochs=30", "default_hooks.logger.interval=1");
        var progressed = new TaskCompletionSource();
        var run = Run(Start("exp-stop", 1, yaml), events => { if (events.Any(e => e is ProgressReported)) progressed.TrySetResult(); });
        run.Start();
        await progressed.Task.WaitAsync(TimeSpan.FromMinutes(2));

        await run.StopAsync(TimeSpan.FromSeconds(10));

        var finished = Assert.IsType<RunFinished>(Events()[^1]);
        Assert.Equal("Cancelled", finished.Status);
        Assert.True(finished.EpochsRun < 30);
        Assert.False(run.IsTraining);
    }

    [Fact]
    public async Task ABadDataPathFailsTheRunWithOneLine()
    {
        var missing = Path.Combine(data.Root, "no-such-list.txt");
        var yaml = MergedConfig(out _, $"train_dataloader.dataset.ann_file={missing}");
        var run = Run(Start("exp-bad", 1, yaml));
        run.Start();
        await run.Completion;

        var failed = Assert.IsType<RunFailed>(Events()[^1]);
        Assert.Contains("no-such-list.txt", failed.Error);
        Assert.DoesNotContain('\n', failed.Error);
        Assert.Empty(Events().OfType<EpochReported>());
    }

    private string MergedConfig(out ConfigDocument document, params string[] extra)
    {
        document = ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"),
        [
            .. data.Overrides(), "train_dataloader.batch_size=4", "train_dataloader.num_workers=1",
            "val_dataloader.num_workers=1", "test_dataloader=null", "param_scheduler.0.end=2", "param_scheduler.0.milestones=[1]",
            .. extra,
        ]);
        return document.ToYaml();
    }

    private static WorkerStart Start(string experiment, int generation, string yaml) =>
        new(experiment, generation, Rank: 0, WorldSize: 1, new ExperimentSpec("tsn_tiny_synth", yaml), $"experiments/{experiment}/", null, ["silo-under-test/cpu:0"]);

    private WorkerRun Run(WorkerStart start, Action<IReadOnlyList<WorkerEvent>>? onEvents = null) =>
        new(start, new WorkerEnvironment("silo-under-test/cpu:0", "silo-under-test", "cpu", fixture.Store,
            Path.Combine(fixture.Root, "scratch"), key => fixture.Client.GetGrain<IDatasetShardGrain>(key),
            report =>
            {
                lock (reports) reports.Add(report);
                onEvents?.Invoke(report.Events);
                return Task.CompletedTask;
            }));

    private List<WorkerEvent> Events()
    {
        lock (reports) return reports.SelectMany(report => report.Events).ToList();
    }
}
