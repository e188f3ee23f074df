using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Workers;
using Cluster.Tests.Experiments;

namespace Cluster.Tests.Grains;

/// <summary>
/// A data-parallel group on a one-silo in-process cluster with two CPU slots: allocation between min and max, waiting
/// below the minimum, and how the experiment grain answers a failure of one rank. (The collective that makes the ranks
/// train one model is not in this branch: here each rank trains its shard on its own; rank 0 speaks for the run.)
/// A failure is injected as the report a worker sends.
/// </summary>
public sealed class GroupRunTests : IDisposable
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(3);
    private readonly DemoDataset data = DemoDataset.Create("grains-group-", classes: 2, videosPerClass: 4, seed: 5, frames: 8);

    public void Dispose() => data.Dispose();

    private ExperimentSpec Spec(int epochs, int workers, int minWorkers = 0)
    {
        var overrides = data.Overrides();
        overrides.AddRange([
            $"train_cfg.max_epochs={epochs}", $"param_scheduler.0.end={epochs}", "param_scheduler.0.milestones=[100]",
            "randomness.seed=1", "default_hooks.logger.interval=1", "train_dataloader.batch_size=2",
            "train_dataloader.num_workers=0", "val_dataloader.num_workers=0",
        ]);
        return new ExperimentSpec("tsn_tiny_synth", SubmissionValidatorTests.DemoYaml([.. overrides]), workers, MinWorkers: minWorkers);
    }

    private static SlotInfo Slot(ClusterTestHost host, string device) => ClusterTestHost.CpuSlot(host.Primary) with
    {
        WorkerKey = WorkerKey.For(host.Primary.SiloAddress.ToParsableString(), device),
        Device = device,
    };

    private static async Task<(SlotInfo Zero, SlotInfo One)> TwoSlots(ClusterTestHost host)
    {
        var slots = (Slot(host, "cpu:0"), Slot(host, "cpu:1"));
        await host.Registry.RegisterSilo(new SiloRegistration(host.Primary.Name, host.Primary.SiloAddress.ToParsableString(),
            "localhost", [slots.Item1, slots.Item2]));
        return slots;
    }

    private static Task Fail(ClusterTestHost host, string id, int generation, string workerKey, string error, bool retryable) =>
        host.Experiment(id).Report(new WorkerReport(id, generation, workerKey, [new RunFailed(error, retryable)]));

    private async Task<bool> Busy(ClusterTestHost host, SlotInfo slot) =>
        (await host.Client.GetGrain<IGpuWorkerGrain>(slot.WorkerKey).GetStatus()).Busy;

    [Fact]
    public async Task A_two_worker_group_trains_with_ranks_0_and_1_and_completes_with_each_epoch_once()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var (zero, one) = await TwoSlots(host);

        await host.Experiment("group-1").Submit(Spec(epochs: 2, workers: 2));
        var done = await host.WaitFor("group-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");

        Assert.True(done.State == ExperimentState.Completed, $"{done.State}: {done.Reason}");
        Assert.Equal((1, 0, 2, 2), (done.Generation, done.Restarts, done.RequestedWorkers, done.MinWorkers));
        Assert.Equal([(zero.WorkerKey, 0), (one.WorkerKey, 1)], done.Workers.OrderBy(w => w.Rank).Select(w => (w.WorkerKey, w.Rank)));
        Assert.Equal([1, 2], done.History.Select(h => h.Epoch));
        // Rank 1 keeps its files apart; only rank 0's checkpoints are the experiment's.
        Assert.All(done.Checkpoints, c => Assert.DoesNotContain("/rank1/", c.Key));
        var logs = await host.Experiment("group-1").GetLogs(0, 10_000);
        Assert.Contains(logs.Lines, l => l.StartsWith("[rank 1] ") && l.Contains("rank 1 of 2"));
        Assert.Contains(logs.Lines, l => l.StartsWith("[rank 0] ") && l.Contains("rank 0 of 2"));
        var view = await host.Registry.GetView();
        Assert.All(view.Silos.SelectMany(s => s.Slots), slot => Assert.Null(slot.ExperimentId));
    }

    [Fact]
    public async Task Below_its_minimum_a_group_waits_saying_so_and_starts_once_enough_slots_are_free()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var (zero, one) = await TwoSlots(host);
        Assert.Equal([zero], await host.Registry.Allocate("other", 1, 1, "cpu"));

        await host.Experiment("wait-1").Submit(Spec(epochs: 50, workers: 2, minWorkers: 2));
        var waiting = await host.WaitFor("wait-1", s => s.Reason == "waiting for workers: 1 of min 2 free", RunTimeout, "the waiting reason");
        Assert.Equal((ExperimentState.Pending, 0), (waiting.State, waiting.Generation));
        Assert.Equal("other", (await host.Registry.GetView()).Silos.Single().Slots.Single(s => s.Slot.WorkerKey == zero.WorkerKey).ExperimentId);

        await host.Registry.Release("other");
        var running = await host.WaitFor("wait-1", s => s.State == ExperimentState.Running, RunTimeout, "a running group");
        Assert.Equal((1, 2), (running.Generation, running.Workers.Count));

        await host.Experiment("wait-1").Cancel("done");
    }

    [Fact]
    public async Task A_retryable_failure_of_rank_1_re_forms_the_group_from_the_last_checkpoint_with_no_epoch_twice()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var (_, one) = await TwoSlots(host);
        var grain = host.Experiment("regroup-1");

        await grain.Submit(Spec(epochs: 3, workers: 2, minWorkers: 1));
        await host.WaitFor("regroup-1", s => s.Checkpoints.Any(c => !c.IsBest && c.Epoch >= 1), RunTimeout, "a first checkpoint");
        await grain.PublishRendezvous(1, [1, 2, 3]);
        Assert.Equal([1, 2, 3], await grain.GetRendezvous(1));

        await Fail(host, "regroup-1", 1, one.WorkerKey, "collective timed out waiting for rank 0", retryable: true);
        var regrouped = await host.WaitFor("regroup-1", s => s.Generation == 2 && s.State == ExperimentState.Running, RunTimeout, "generation 2");
        Assert.Equal((1, 2), (regrouped.Restarts, regrouped.Workers.Count));
        Assert.Null(await grain.GetRendezvous(1));
        await grain.PublishRendezvous(1, [9]);  // a late rank 0 of the old generation
        Assert.Null(await grain.GetRendezvous(1));
        Assert.Null(await grain.GetRendezvous(2));

        var done = await host.WaitFor("regroup-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");
        Assert.True(done.State == ExperimentState.Completed, $"{done.State}: {done.Reason}");
        Assert.Equal([1, 2, 3], done.History.Select(h => h.Epoch));
        Assert.Equal(2, done.Generation);
        var logs = await grain.GetLogs(0, 10_000);
        Assert.Contains(logs.Lines, l => l.Contains($"rank 1 ({one.WorkerKey}) failed: collective timed out waiting for rank 0; re-forming the group from epoch"));
        Assert.Contains(logs.Lines, l => l.Contains("generation 2 on") && l.Contains("resuming from epoch"));
    }

    [Fact]
    public async Task A_fatal_failure_of_rank_1_fails_the_run_and_stops_rank_0()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var (zero, one) = await TwoSlots(host);

        await host.Experiment("fatal-1").Submit(Spec(epochs: 50, workers: 2));
        await host.WaitFor("fatal-1", s => s.Progress is not null, RunTimeout, "training progress");
        await Fail(host, "fatal-1", 1, one.WorkerKey, "replicas diverged at epoch 1", retryable: false);

        var failed = await host.Experiment("fatal-1").GetStatus();
        Assert.Equal(ExperimentState.Failed, failed.State);
        Assert.Equal($"rank 1 ({one.WorkerKey}): replicas diverged at epoch 1", failed.Reason);
        Assert.False(await Busy(host, zero));
        Assert.All((await host.Registry.GetView()).Silos.SelectMany(s => s.Slots), slot => Assert.Null(slot.ExperimentId));
    }

    [Fact]
    public async Task A_report_of_an_older_generation_or_from_outside_the_group_changes_nothing()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var (zero, _) = await TwoSlots(host);

        await host.Experiment("stale-1").Submit(Spec(epochs: 50, workers: 1));
        await host.WaitFor("stale-1", s => s.Progress is not null, RunTimeout, "training progress");
        await Fail(host, "stale-1", 0, zero.WorkerKey, "old generation", retryable: false);
        await Fail(host, "stale-1", 1, "nowhere/cpu:7", "not in the group", retryable: false);

        var status = await host.Experiment("stale-1").GetStatus();
        Assert.Equal((ExperimentState.Running, 1), (status.State, status.Generation));
        await host.Experiment("stale-1").Cancel("done");
    }

    [Fact]
    public async Task Losing_a_silo_re_forms_a_two_worker_group_on_the_survivor_which_resumes_with_its_new_world_size()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 2);
        await host.RegisterCpuSlot(host.Primary);
        await host.RegisterCpuSlot(host.Secondary);
        var lost = ClusterTestHost.CpuSlot(host.Secondary).WorkerKey;

        // Long enough that rank 0 (on the survivor, training its shard alone until the collective lands) is still busy
        // when the loss is noticed.
        await host.Experiment("shrink-1").Submit(Spec(epochs: 10, workers: 2, minWorkers: 1));
        var before = await host.WaitFor("shrink-1", s => s.Checkpoints.Any(c => !c.IsBest && c.Epoch >= 1), RunTimeout, "a first checkpoint");
        Assert.Equal(2, before.Workers.Count);

        await host.KillSiloAsync(host.Secondary);
        var done = await host.WaitFor("shrink-1", s => s.State.IsTerminal(), RunTimeout, "a terminal state");

        var logs = (await host.Experiment("shrink-1").GetLogs(0, 10_000)).Lines;
        Assert.True(done.State == ExperimentState.Completed, $"{done.State}: {done.Reason}\n{string.Join("\n", logs)}");
        Assert.Equal(Enumerable.Range(1, 10), done.History.Select(h => h.Epoch));
        Assert.True(done.Generation >= 2 && done.Restarts >= 1, $"generation {done.Generation}, restarts {done.Restarts}");
        Assert.Equal(ClusterTestHost.CpuSlot(host.Primary).WorkerKey, Assert.Single(done.Workers).WorkerKey);
        Assert.Contains(logs, l => l.Contains($"worker {lost} is left out of the next group: it does not answer"));
        // One worker reads the whole epoch: twice the iterations per epoch of each of the two.
        Assert.Contains(logs, l => l.Contains("resume: ") && l.Contains("(another world size)"));
    }
}
