using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Grains.Workers;
using Cluster.Tests.Experiments;
using Cluster.Training.Configs;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cluster.Tests.Collectives;

/// <summary>Worker runs of one group on two silos: they train together, rank 0 alone reports the run, faults are retryable.</summary>
public sealed class DataParallelWorkerRunTests(TwoSiloCluster cluster) : IClassFixture<TwoSiloCluster>, IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("dp-worker-data-", classes: 3, videosPerClass: 4, seed: 5, frames: 4);
    private readonly string scratch = Directory.CreateTempSubdirectory("dp-worker-scratch-").FullName;
    private readonly Dictionary<int, List<WorkerEvent>> events = [];

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(scratch, recursive: true);
    }

    [Fact]
    public async Task TwoRanksOnTwoSilosTrainTogetherAndOnlyRankZeroReportsTheRun()
    {
        var silos = new[] { cluster.Host.Primary, cluster.Host.Secondary };
        var peers = silos.Select(s => Key(s, "cpu:0")).ToList();
        var runs = silos.Select((silo, rank) => Run(silo, Start("dp-ok", rank, peers, "train_cfg.max_epochs=1"))).ToList();
        runs.ForEach(run => run.Start());
        await Task.WhenAll(runs.Select(run => run.Completion)).WaitAsync(TimeSpan.FromMinutes(2));

        var rank0 = Events(0);
        Assert.True(rank0[^1] is RunFinished { Status: "Completed", EpochsRun: 1 }, string.Join("\n", rank0));
        Assert.Contains(rank0.OfType<LogReported>(), log => log.Line.StartsWith("data-parallel: ring all-reduce over Orleans, 2 ranks"));
        Assert.Equal([1], rank0.OfType<EpochReported>().Select(e => e.Epoch.Epoch));
        var rank1 = Events(1);
        Assert.Equal(2, rank1.Count);
        Assert.Contains("rank 1 of 2", Assert.IsType<LogReported>(rank1[0]).Line);
        Assert.Equal(("Completed", 1), (Assert.IsType<RunFinished>(rank1[1]).Status, ((RunFinished)rank1[1]).EpochsRun));
    }

    [Fact]
    public async Task APeerThatNeverComesFailsTheRunRetryably()
    {
        var peers = new[] { Key(cluster.Host.Primary, "cpu:2"), Key(cluster.Host.Secondary, "cpu:2") };
        var run = Run(cluster.Host.Primary, Start("dp-alone", 0, peers, "distributed.collective_timeout=1"));
        run.Start();
        await run.Completion.WaitAsync(TimeSpan.FromMinutes(1));

        var failed = Assert.IsType<RunFailed>(Events(0)[^1]);
        Assert.True(failed.Retryable);
        Assert.Contains("rank 1", failed.Error);
    }

    [Fact]
    public async Task StoppingARankThatWaitsForItsPeersEndsItAsCancelled()
    {
        var peers = new[] { Key(cluster.Host.Primary, "cpu:3"), Key(cluster.Host.Secondary, "cpu:3") };
        var run = Run(cluster.Host.Primary, Start("dp-stop", 0, peers, "distributed.collective_timeout=600"));
        run.Start();
        await Task.Delay(TimeSpan.FromSeconds(2)); // by then it waits in its first collective (rank 0's weights to rank 1)

        await run.StopAsync(TimeSpan.FromSeconds(5)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("Cancelled", Assert.IsType<RunFinished>(Events(0)[^1]).Status);
        Assert.Equal(0, cluster.Host.Primary.ServiceProvider.GetRequiredService<CollectiveMailboxes>().Count);
    }

    private static string Key(InProcessSiloHandle silo, string device) => WorkerKey.For(silo.SiloAddress.ToParsableString(), device);

    private WorkerStart Start(string experiment, int rank, IReadOnlyList<string> peers, params string[] extra)
    {
        var yaml = ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"),
        [
            .. data.Overrides(), "train_dataloader.batch_size=2", "train_dataloader.num_workers=1",
            "val_dataloader.num_workers=1", "test_dataloader=null", "param_scheduler.0.end=2", "param_scheduler.0.milestones=[1]",
            .. extra,
        ]).ToYaml();
        return new WorkerStart(experiment, 1, rank, peers.Count, new ExperimentSpec("tsn_tiny_synth", yaml), $"experiments/{experiment}/", null, peers);
    }

    private WorkerRun Run(InProcessSiloHandle silo, WorkerStart start)
    {
        lock (events) events[start.Rank] = [];
        var client = cluster.Host.Client;
        return new WorkerRun(start, new WorkerEnvironment(start.Peers[start.Rank], silo.Name, "cpu", cluster.Host.Artifacts,
            Path.Combine(scratch, $"rank{start.Rank}"), key => client.GetGrain<IDatasetShardGrain>(key),
            report =>
            {
                lock (events) events[start.Rank].AddRange(report.Events);
                return Task.CompletedTask;
            },
            silo.ServiceProvider.GetRequiredService<ProcessGroupFactory>()));
    }

    private List<WorkerEvent> Events(int rank)
    {
        lock (events) return [.. events[rank]];
    }
}
