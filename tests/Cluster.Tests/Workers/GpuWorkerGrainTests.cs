using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Tests.Experiments;
using Cluster.Training.Configs;

namespace Cluster.Tests.Workers;

/// <summary>The slot grain on a real silo: Start returns at once, a busy slot refuses another experiment and
/// older generations, a newer generation replaces the running one, Stop frees it.</summary>
[Collection(ShardClusterCollection.Name)]
public sealed class GpuWorkerGrainTests(ShardClusterFixture fixture) : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("slot-data-", classes: 3, videosPerClass: 3, seed: 2, frames: 4);

    public void Dispose() => data.Dispose();

    [Fact]
    public async Task ABusySlotRefusesAnotherExperimentUntilStopped()
    {
        var key = WorkerKey.For(fixture.Cluster.Silos[0].SiloAddress.ToParsableString(), "cpu:0");
        var worker = fixture.Client.GetGrain<IGpuWorkerGrain>(key);
        var yaml = ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"),
            [.. data.Overrides(), "train_cfg.max_epochs=50", "train_dataloader.num_workers=1", "val_dataloader=null",
             "test_dataloader=null", "default_hooks.checkpoint.save_best=null"]).ToYaml();
        var spec = new ExperimentSpec("tsn_tiny_synth", yaml);

        // No experiment grain answers the reports in this silo: the worker retries them and gives them up on Stop.
        await worker.Start(new WorkerStart("exp-a", 1, 0, 1, spec, "experiments/exp-a/", null, ["w"]));
        var busy = await worker.GetStatus();
        var refused = await Assert.ThrowsAnyAsync<Exception>(() => worker.Start(new WorkerStart("exp-b", 1, 0, 1, spec, "experiments/exp-b/", null, ["w"])));
        await worker.Start(new WorkerStart("exp-a", 2, 0, 1, spec, "experiments/exp-a/", null, ["w"])); // replaces generation 1
        var replaced = await worker.GetStatus();
        var older = await Assert.ThrowsAnyAsync<Exception>(() => worker.Start(new WorkerStart("exp-a", 1, 0, 1, spec, "experiments/exp-a/", null, ["w"])));
        await worker.Stop("exp-a");
        var free = await worker.GetStatus();

        Assert.Equal((key, "cpu:0", "exp-a", 1, true), (busy.WorkerKey, busy.Device, busy.ExperimentId, busy.Generation, busy.Busy));
        Assert.Contains("busy with experiment 'exp-a'", refused.Message);
        Assert.Equal(("exp-a", 2, true), (replaced.ExperimentId, replaced.Generation, replaced.Busy));
        Assert.Contains("refusing older generation 1", older.Message);
        Assert.Equal((false, "exp-a", 2), (free.Busy, free.ExperimentId, free.Generation));
    }
}
