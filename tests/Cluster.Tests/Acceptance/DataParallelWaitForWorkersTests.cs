using Cluster.Abstractions.Experiments;
using Cluster.Tests.Client;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 4's "below min_workers it waits": a run that needs 2 workers on a cluster with one silo (one CPU slot) waits,
/// says so in <c>cluster status</c>, and starts and completes on both silos once a second silo joins
/// (<c>local-cluster.sh add</c>).
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class DataParallelWaitForWorkersTests : IAsyncLifetime
{
    private const int Epochs = 2;
    private readonly DemoDataset data = DemoDataset.Create("dp-wait-", classes: 3, videosPerClass: 5, seed: 3, frames: 8);
    private LocalCluster? cluster;

    public async Task InitializeAsync() => cluster = await LocalCluster.StartAsync(silos: 1);

    [Fact]
    public async Task A_run_below_min_workers_waits_for_workers_and_starts_when_a_silo_joins()
    {
        var local = cluster!;
        string config = DataParallelRuns.WriteConfig(data, "wait", batchSize: 2, Epochs, "workers: 2\nmin_workers: 2");
        string id = DataParallelRuns.Submit(await local.GatewaysAsync(), config);

        var waiting = await DataParallelRuns.WaitFor(local, id,
            s => s.Reason?.Contains("waiting for workers", StringComparison.OrdinalIgnoreCase) == true, "'waiting for workers'");
        Assert.Equal(ExperimentState.Pending, waiting.State);
        Assert.Empty(waiting.History);
        var status = CliRunner.Run("status", id, "--gateway", await local.GatewaysAsync());
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains("waiting for workers", status.Output, StringComparison.OrdinalIgnoreCase);

        var joined = await local.AddAsync();

        var done = await DataParallelRuns.Completed(local, id);
        Assert.Equal(2, done.Workers.Count);
        Assert.Contains(done.Workers, w => w.Silo == joined.Name);
        Assert.Equal(2, done.Workers.Select(w => w.Silo).Distinct().Count());
        Assert.Equal(Enumerable.Range(1, Epochs), done.History.Select(h => h.Epoch));
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null) await cluster.DisposeAsync();
        data.Dispose();
    }
}
