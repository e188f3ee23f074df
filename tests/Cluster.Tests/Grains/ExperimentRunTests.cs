using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Tests.Experiments;

namespace Cluster.Tests.Grains;

/// <summary>
/// End to end on a 2-silo in-process cluster: real experiment, registry and worker grains train a tiny synthetic
/// model on CPU slots, checkpoints go to a local-folder artifact store.
/// </summary>
public sealed class ExperimentRunTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DemoDataset data = DemoDataset.Create("grains-run-", classes: 2, videosPerClass: 4, seed: 5, frames: 8);

    public void Dispose() => data.Dispose();

    private ExperimentSpec Spec(int epochs, params string[] more)
    {
        var overrides = data.Overrides();
        overrides.AddRange([
            $"train_cfg.max_epochs={epochs}", $"param_scheduler.0.end={epochs}", "param_scheduler.0.milestones=[100]",
            "randomness.seed=1", "default_hooks.logger.interval=1", "train_dataloader.batch_size=2",
            "train_dataloader.num_workers=0", "val_dataloader.num_workers=0",
        ]);
        overrides.AddRange(more);
        return new ExperimentSpec("tsn_tiny_synth", SubmissionValidatorTests.DemoYaml([.. overrides]));
    }

    [Fact]
    public async Task A_run_completes_with_history_metrics_and_verified_checkpoints_and_frees_its_slot()
    {
        await using var host = await ClusterTestHost.StartAsync();
        await host.RegisterCpuSlot(host.Primary);

        await host.Experiment("run-1").Submit(Spec(epochs: 2));
        var done = await host.WaitFor("run-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");

        Assert.Equal((ExperimentState.Completed, 1, 0), (done.State, done.Generation, done.Restarts));
        Assert.Equal([1, 2], done.History.Select(h => h.Epoch));
        Assert.All(done.History, h => Assert.True(h.MeanLoss > 0));
        Assert.Contains("acc/top1", done.Metrics.Keys);
        Assert.Equal("acc/top1", done.Best?.Name);
        Assert.Equal(ClusterTestHost.CpuSlot(host.Primary).WorkerKey, Assert.Single(done.Workers).WorkerKey);
        Assert.Contains(done.Checkpoints, c => !c.IsBest && c.Epoch == 2);
        foreach (var checkpoint in done.Checkpoints)
        {
            Assert.StartsWith("experiments/run-1/", checkpoint.Key);
            var info = await host.Artifacts.GetFileAsync(checkpoint.Key, Path.Combine(data.Root, "check.pth"));
            Assert.Equal((checkpoint.Sha256, checkpoint.Bytes), (info.Sha256, info.Bytes));
        }
        var view = await host.Registry.GetView();
        Assert.All(view.Silos.SelectMany(s => s.Slots), slot => Assert.Null(slot.ExperimentId));
        Assert.Equal(ExperimentState.Completed, Assert.Single(await host.Registry.ListExperiments()).State);
        var logs = await host.Experiment("run-1").GetLogs(0, 10_000);
        Assert.True(logs.Ended);
        Assert.Contains(logs.Lines, l => l.Contains("training on cpu"));
    }

    [Fact]
    public async Task Cancel_mid_epoch_ends_the_run_and_frees_the_slot()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var slot = ClusterTestHost.CpuSlot(host.Primary);

        await host.Experiment("cancel-1").Submit(Spec(epochs: 50));
        await host.WaitFor("cancel-1", s => s.Progress is not null, RunTimeout, "training progress");
        var cancelled = await host.Experiment("cancel-1").Cancel("user asked");

        Assert.Equal((ExperimentState.Cancelled, "user asked"), (cancelled.State, cancelled.Reason));
        Assert.True(cancelled.History.Count < 50);
        var view = await host.Registry.GetView();
        Assert.Null(view.Silos.Single().Slots.Single().ExperimentId);
        var worker = await host.Client.GetGrain<IGpuWorkerGrain>(slot.WorkerKey).GetStatus();
        Assert.False(worker.Busy);
        // The slot takes new work at once.
        Assert.Equal([slot], await host.Registry.Allocate("next", 1, 1, "cpu"));
    }

    [Fact]
    public async Task Losing_the_workers_silo_restarts_the_run_from_its_last_checkpoint_on_the_other_silo()
    {
        await using var host = await ClusterTestHost.StartAsync();
        await host.RegisterCpuSlot(host.Secondary);

        await host.Experiment("failover-1").Submit(Spec(epochs: 4));
        var before = await host.WaitFor("failover-1", s => s.Checkpoints.Any(c => !c.IsBest && c.Epoch >= 1), RunTimeout,
            "a first checkpoint");
        Assert.Equal(ClusterTestHost.CpuSlot(host.Secondary).WorkerKey, Assert.Single(before.Workers).WorkerKey);
        await host.RegisterCpuSlot(host.Primary);

        await host.KillSiloAsync(host.Secondary);
        var done = await host.WaitFor("failover-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");

        Assert.True(done.State == ExperimentState.Completed,
            $"{done.State}: {done.Reason}\n{string.Join("\n", (await host.Experiment("failover-1").GetLogs(0, 500)).Lines)}");
        Assert.True(done.Restarts >= 1);
        Assert.True(done.Generation >= 2);
        Assert.Equal(ClusterTestHost.CpuSlot(host.Primary).WorkerKey, Assert.Single(done.Workers).WorkerKey);
        Assert.Equal([1, 2, 3, 4], done.History.Select(h => h.Epoch));
        var logs = await host.Experiment("failover-1").GetLogs(0, 10_000);
        Assert.Contains(logs.Lines, l => l.Contains("resuming from epoch"));
        foreach (var checkpoint in done.Checkpoints)
        {
            var info = await host.Artifacts.GetFileAsync(checkpoint.Key, Path.Combine(data.Root, "check.pth"));
            Assert.Equal(checkpoint.Sha256, info.Sha256);
        }
    }

    [Fact]
    public async Task A_lost_activation_comes_back_from_persisted_state_and_adopts_its_still_training_worker()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var grain = host.Experiment("reactivate-1");

        await grain.Submit(Spec(epochs: 6));
        await host.WaitFor("reactivate-1", s => s.History.Count >= 1, RunTimeout, "a finished epoch");
        await host.Cluster.DeactivateAsync(grain);
        await host.Cluster.WaitForDeactivationAsync(grain);
        var done = await host.WaitFor("reactivate-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");

        // Same generation, no restart: the new activation found the worker still on it and kept it.
        Assert.Equal((ExperimentState.Completed, 1, 0), (done.State, done.Generation, done.Restarts));
        Assert.Equal([1, 2, 3, 4, 5, 6], done.History.Select(h => h.Epoch));
        var logs = await grain.GetLogs(0, 10_000);
        Assert.Contains(logs.Lines, l => l.Contains("[cluster] reactivated while running (generation 1)"));
        Assert.Single(logs.Lines, l => l.Contains("training on cpu"));
    }
}
