using Cluster.Abstractions.Experiments;
using Cluster.Tests.Client;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Acceptance;

/// <summary>Three silo processes with one CPU slot each, shared by the tests of <see cref="DataParallelEquivalenceTests"/>.</summary>
public sealed class ThreeSiloCluster : IAsyncLifetime
{
    public LocalCluster Cluster { get; private set; } = null!;

    public async Task InitializeAsync() => Cluster = await LocalCluster.StartAsync(silos: 3);

    public async Task DisposeAsync()
    {
        if (Cluster is not null) await Cluster.DisposeAsync();
    }
}

/// <summary>
/// Issue 4's equivalence acceptance on real silo processes: N workers × per-worker batch B train to the same
/// parameters as one worker × batch N·B (gradients averaged by the ring all-reduce before every step), read from the
/// final checkpoints in the cluster's blob store. The reference runs the engine in this process. The model is the
/// demo TSN with BatchNorm in eval mode and no dropout, so a batch's gradient does not depend on how it is split.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class DataParallelEquivalenceTests(ThreeSiloCluster fixture) : IClassFixture<ThreeSiloCluster>, IDisposable
{
    private const int PerWorkerBatch = 2;
    private const int Epochs = 2;
    private const double Tolerance = 1e-5;
    // 3 classes × 5 videos, one per class for validation: 12 training clips, whole global batches for N = 2 and 3.
    private readonly DemoDataset data = DemoDataset.Create("dp-equivalence-", classes: 3, videosPerClass: 5, seed: 11, frames: 8);

    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    public async Task N_workers_with_batch_B_end_with_the_parameters_of_one_worker_with_batch_N_times_B(int workers)
    {
        var cluster = fixture.Cluster;
        string parallel = DataParallelRuns.WriteConfig(data, $"parallel-{workers}", PerWorkerBatch, Epochs, $"workers: {workers}");
        string single = DataParallelRuns.WriteConfig(data, $"single-{workers}", workers * PerWorkerBatch, Epochs);

        string id = DataParallelRuns.Submit(await cluster.GatewaysAsync(), parallel);
        var done = await DataParallelRuns.Completed(cluster, id);

        Assert.Equal(workers, done.Workers.Count);
        Assert.Equal(workers, done.Workers.Select(w => w.Silo).Distinct().Count()); // one slot per silo: N processes
        Assert.Equal(Enumerable.Range(0, workers), done.Workers.Select(w => w.Rank).Order());
        Assert.Equal(Enumerable.Range(1, Epochs), done.History.Select(h => h.Epoch));

        string referenceDir = Path.Combine(data.Root, $"reference-{workers}");
        var reference = TrainingJob.Prepare(ConfigLoader.Load(single), referenceDir, "cpu").Run();
        Assert.Equal(Epochs, reference.EpochsRun);

        using var actual = await DataParallelRuns.DownloadCheckpoint(cluster, done, Epochs, data.Root);
        using var expected = CheckpointFile.Load(Path.Combine(referenceDir, $"epoch_{Epochs}.pth"));
        var differences = DataParallelRuns.RelativeDifferences(actual, expected);
        Assert.True(differences.Values.Max() <= Tolerance,
            $"{workers} workers × batch {PerWorkerBatch} vs 1 × {workers * PerWorkerBatch}, largest relative differences: {DataParallelRuns.Describe(differences)}");

        // The tolerance is meaningful: the second epoch moved the parameters by far more than it.
        using var firstEpoch = CheckpointFile.Load(Path.Combine(referenceDir, "epoch_1.pth"));
        var moved = DataParallelRuns.RelativeDifferences(expected, firstEpoch);
        Assert.True(moved.Values.Max() > 1000 * Tolerance, $"training barely moved the parameters: {DataParallelRuns.Describe(moved)}");

        // `cluster status` shows the group: every rank with its silo, and the generation.
        var status = CliRunner.Run("status", id, "--gateway", await cluster.GatewaysAsync());
        Assert.True(status.ExitCode == 0, status.Error);
        Assert.Contains($"generation {done.Generation}", status.Output);
        foreach (var worker in done.Workers)
            Assert.Contains(status.OutputLines, line => line.Contains($"rank {worker.Rank}:", StringComparison.Ordinal)
                                                        && line.Contains($"on silo {worker.Silo}", StringComparison.Ordinal));
        var silos = await cluster.ListAsync();
        // A worker's silo is named as the script named it, and its worker key starts with that silo's address.
        Assert.All(done.Workers, w => Assert.Contains(silos, s => s.Name == w.Silo && w.WorkerKey.StartsWith(s.Address, StringComparison.Ordinal)));
    }

    public void Dispose() => data.Dispose();
}
