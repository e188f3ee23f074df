using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;
using Cluster.Grains.Sweeps;
using Cluster.Tests.Experiments;
using Cluster.Tests.Grains;
using Orleans;
using Orleans.Runtime;

namespace Cluster.Tests.Sweeps.Grains;

/// <summary>
/// Sweeps on an in-process cluster: real sweep, experiment, registry and worker grains train the tiny demo model on
/// CPU slots; trials are ExperimentGrains that report back to their sweep.
/// </summary>
public sealed class SweepGrainTests : IDisposable
{
    private static readonly TimeSpan SweepTimeout = TimeSpan.FromMinutes(4);
    private readonly DemoDataset data = DemoDataset.Create("sweep-grains-", classes: 2, videosPerClass: 4, seed: 5, frames: 4);

    public void Dispose() => data.Dispose();

    private static string[] Settings(string searchAlg, int numSamples, int concurrent, string scheduler, int maxFailures = 0,
        string metric = "acc/top1") =>
    [
        $"search_alg: {searchAlg}", $"num_samples: {numSamples}", $"metric: {metric}", "mode: max",
        $"max_concurrent_trials: {concurrent}", "workers_per_trial: 1", $"max_failures: {maxFailures}", "seed: 0",
        $"scheduler: {scheduler}",
    ];

    private static async Task<SweepStatus> WaitFor(ClusterTestHost host, string id, Func<SweepStatus, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + SweepTimeout;
        while (true)
        {
            var status = await host.Client.GetGrain<ISweepGrain>(id).GetStatus();
            if (condition(status)) return status;
            if (DateTime.UtcNow > deadline || status.State.IsTerminal())
                Assert.Fail($"sweep '{id}' never got {what}: {status.State} ({status.Reason}); trials: "
                    + string.Join("; ", status.Trials.Select(t => $"{t.Id} {t.State} ({t.Reason}) epoch {t.Epoch}")));
            await Task.Delay(200);
        }
    }

    /// <summary>The most trial experiments that existed at once (from submission to end), from their own timestamps.</summary>
    private static int MostAtOnce(IEnumerable<ExperimentStatus> runs)
    {
        var edges = runs.SelectMany(r => new[] { (At: r.CreatedAt, Delta: 1), (At: r.EndedAt!.Value, Delta: -1) })
            .OrderBy(e => e.At).ThenBy(e => e.Delta);
        int now = 0, most = 0;
        foreach (var edge in edges) most = Math.Max(most, now += edge.Delta);
        return most;
    }

    [Fact]
    public async Task An_asha_sweep_stops_weak_trials_names_the_best_and_survives_its_grain_being_deactivated()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var sweep = host.Client.GetGrain<ISweepGrain>("asha-1");
        // Trials alternate between the real validation list and one whose labels no 2-class model can predict, ranked by
        // top-5 accuracy, which on 2 classes keeps both: exactly 1 on the real list and exactly 0 on the other, so
        // ASHA's rung at epoch 1 has a strict order whatever the training does (top-1 after one epoch can be 0 too).
        var unreachable = Path.Combine(data.Root, "val_unreachable.txt");
        File.WriteAllLines(unreachable, File.ReadAllLines(data.Result.ValList!)
            .Select(line => line[..line.LastIndexOf(' ')] + " 7"));
        var yaml = SweepSpecs.Yaml(data, epochs: 2,
            [$"val_dataloader.dataset.ann_file: {{type: grid, values: ['{data.Result.ValList}', '{unreachable}']}}"],
            Settings("grid", 2, concurrent: 1, "{type: asha, time_attr: epoch, grace_period: 1, reduction_factor: 2, max_t: 2}",
                metric: "acc/top5"),
            "val_evaluator.metric_list=[top_k_accuracy]");

        var submitted = await sweep.Submit(SweepSpecs.Submission(yaml));
        Assert.Equal(("tiny_sweep", 4, "asha", "grid"), (submitted.Name, submitted.PlannedTrials, submitted.Scheduler, submitted.SearchAlgorithm));
        var first = await WaitFor(host, "asha-1", s => s.Trials.Count > 0 && s.Trials[0].State == TrialState.Completed, "a completed trial");
        await host.Cluster.DeactivateAsync(sweep);
        await host.Cluster.WaitForDeactivationAsync(sweep.GetGrainId());
        var done = await WaitFor(host, "asha-1", s => s.State.IsTerminal(), "an end");

        Assert.Equal((SweepState.Completed, "all 4 trials ended"), (done.State, done.Reason));
        Assert.Equal(first.Trials[0].History, done.Trials[0].History);
        Assert.All(done.Trials, t => Assert.Contains(t.State, new[] { TrialState.Completed, TrialState.Stopped }));
        var stopped = done.Trials.Where(t => t.State == TrialState.Stopped).ToList();
        Assert.True(stopped.Count > 0, string.Join("; ", done.Trials.Select(t => $"{t.Id} {t.State} {t.StartedAt:HH:mm:ss.f}-{t.EndedAt:HH:mm:ss.f} "
            + string.Join(",", t.History.Select(p => $"{p.Epoch}:{p.Value}")))));
        foreach (var trial in stopped)
        {
            Assert.Equal("stopped by ASHA at epoch 1", trial.Reason);
            Assert.Equal([1], trial.History.Select(p => p.Epoch));
            var run = await host.Experiment(trial.ExperimentId!).GetStatus();
            Assert.Equal((ExperimentState.Cancelled, "stopped by ASHA at epoch 1"), (run.State, run.Reason));
        }
        // Rung 1 sees the real list's 1 first: t001's 0 is below the cutoff 1; t002's 1 is not below median(1, 0) = 0.5;
        // t003's 0 is below median(1, 0, 1) = 1.
        Assert.Equal(["asha-1-t001", "asha-1-t003"], stopped.Select(t => t.Id));
        foreach (var trial in done.Trials.Where(t => t.State == TrialState.Completed))
            Assert.Equal([1, 2], trial.History.Select(p => p.Epoch));

        // The best is the completed trial with the best final metric, with its experiment's stored best checkpoint.
        var bestCompleted = done.Trials.Where(t => t.State == TrialState.Completed).MaxBy(t => t.LastMetric)!;
        Assert.Equal(bestCompleted.LastMetric, done.Best?.Metric);
        var checkpoint = done.Best!.Checkpoint!;
        Assert.StartsWith($"experiments/{done.Best.ExperimentId}/", checkpoint.Key);
        var info = await host.Artifacts.GetFileAsync(checkpoint.Key, Path.Combine(data.Root, "best.pth"));
        Assert.Equal(checkpoint.Sha256, info.Sha256);

        // One trial at a time, in trial order.
        var runs = await Task.WhenAll(done.Trials.Select(t => host.Experiment(t.ExperimentId!).GetStatus()));
        Assert.Equal(1, MostAtOnce(runs));
        Assert.Equal(runs.OrderBy(r => r.CreatedAt).Select(r => r.Id), runs.Select(r => r.Id));
        var listed = Assert.Single(await host.Client.GetGrain<ISweepIndexGrain>(0).List());
        Assert.Equal(("asha-1", SweepState.Completed, 4, done.Best.TrialId), (listed.Id, listed.State, listed.Trials, listed.BestTrialId));
    }

    [Fact]
    public async Task Trials_beyond_the_free_slots_wait_as_pending_experiments_and_never_exceed_max_concurrent_trials()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var yaml = SweepSpecs.Yaml(data, epochs: 1, ["optim_wrapper.optimizer.lr: {type: loguniform, lower: 0.01, upper: 0.1}"],
            Settings("random", 3, concurrent: 2, "{type: fifo}"));

        await host.Client.GetGrain<ISweepGrain>("wait-1").Submit(SweepSpecs.Submission(yaml));
        var done = await WaitFor(host, "wait-1", s => s.State.IsTerminal(), "an end");

        Assert.Equal(SweepState.Completed, done.State);
        Assert.All(done.Trials, t => Assert.Equal((TrialState.Completed, 1), (t.State, t.Epoch)));
        var runs = (await Task.WhenAll(done.Trials.Select(t => host.Experiment(t.ExperimentId!).GetStatus()))).OrderBy(r => r.StartedAt).ToList();
        // Two trials at once on one slot: the second was submitted while the first ran, and started once it ended.
        Assert.Equal(2, MostAtOnce(runs));
        var pair = runs.Where(r => r.Id != "wait-1-t002").ToList();
        Assert.True(pair[1].CreatedAt < pair[0].EndedAt);
        Assert.True(pair[1].StartedAt >= pair[0].EndedAt);
        // The third was sampled only when a place among the two opened. (Which waiting experiment takes a freed slot
        // first is the registry's choice.)
        var third = runs.Single(r => r.Id == "wait-1-t002");
        Assert.True(third.CreatedAt >= pair[0].EndedAt);
        Assert.Equal(3, done.Trials.Select(t => t.Parameters["optim_wrapper.optimizer.lr"]).Distinct().Count());
    }

    [Fact]
    public async Task A_failing_trial_is_retried_from_its_last_checkpoint_until_max_failures_keeping_its_history()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        // From epoch 2 the learning rate is 1e28: the loss turns NaN and the run fails, resumed or not.
        var yaml = SweepSpecs.Yaml(data, epochs: 3, ["optim_wrapper.optimizer.lr: {type: grid, values: [0.02]}"],
            Settings("grid", 1, concurrent: 1, "{type: fifo}", maxFailures: 1),
            "param_scheduler.0.milestones=[1]", "param_scheduler.0.gamma=1.0e+30");

        await host.Client.GetGrain<ISweepGrain>("fail-1").Submit(SweepSpecs.Submission(yaml));
        var done = await WaitFor(host, "fail-1", s => s.State.IsTerminal(), "an end");

        var trial = Assert.Single(done.Trials);
        Assert.Equal((TrialState.Failed, 2, "fail-1-t000-r1"), (trial.State, trial.Failures, trial.ExperimentId));
        Assert.Equal([1], trial.History.Select(p => p.Epoch));
        var firstRun = await host.Experiment("fail-1-t000").GetStatus();
        var retry = await host.Experiment("fail-1-t000-r1").GetStatus();
        Assert.Equal((ExperimentState.Failed, ExperimentState.Failed), (firstRun.State, retry.State));
        Assert.Equal(retry.Reason, trial.Reason);
        // The retry resumed after epoch 1 (from the first run's checkpoint) instead of training from the start.
        Assert.DoesNotContain(retry.History, h => h.Epoch == 1);
        var logs = await host.Experiment("fail-1-t000-r1").GetLogs(0, 10_000);
        Assert.Contains(logs.Lines, l => l.Contains("experiments/fail-1-t000/"));
        Assert.Equal((SweepState.Completed, "all 1 trials ended"), (done.State, done.Reason));
    }

    [Fact]
    public async Task Killing_the_silo_of_the_sweep_grain_loses_no_completed_trial_and_the_sweep_finishes()
    {
        await using var host = await ClusterTestHost.StartAsync();
        await host.RegisterCpuSlot(host.Primary);
        // Activate candidates until one lives on the silo the test can kill.
        var management = host.Client.GetGrain<IManagementGrain>(0);
        ISweepGrain? sweep = null;
        for (int i = 0; i < 16 && sweep is null; i++)
        {
            var candidate = host.Client.GetGrain<ISweepGrain>($"kill-{i}");
            await Assert.ThrowsAsync<UnknownSweepException>(() => candidate.GetStatus());
            var onSecondary = await management.GetDetailedGrainStatistics(null, [host.Secondary.SiloAddress]);
            if (onSecondary.Any(g => g.GrainId == candidate.GetGrainId())) sweep = candidate;
        }
        Assert.NotNull(sweep);
        var id = sweep.GetPrimaryKeyString();
        var yaml = SweepSpecs.Yaml(data, epochs: 1, ["optim_wrapper.optimizer.lr: {type: grid, values: [0.01, 0.02, 0.03]}"],
            Settings("grid", 1, concurrent: 1, "{type: fifo}"));

        await sweep.Submit(SweepSpecs.Submission(yaml));
        var before = await WaitFor(host, id, s => s.Trials.Count > 0 && s.Trials[0].State == TrialState.Completed, "a completed trial");
        Assert.Equal(SweepState.Running, before.State);
        Assert.NotEqual(TrialState.Completed, before.Trials[^1].State);
        await host.KillSiloAsync(host.Secondary);
        var done = await WaitFor(host, id, s => s.State.IsTerminal(), "an end");

        Assert.Equal((SweepState.Completed, 3), (done.State, done.Trials.Count));
        Assert.All(done.Trials, t => Assert.Equal((TrialState.Completed, 1), (t.State, t.Epoch)));
        Assert.Equal(before.Trials[0].History, done.Trials[0].History);
        Assert.Equal(before.Trials[0].Parameters, done.Trials[0].Parameters);
        Assert.Equal(["0.01", "0.02", "0.03"], done.Trials.Select(t => t.Parameters["optim_wrapper.optimizer.lr"]));
    }

    [Fact]
    public async Task Cancelling_a_sweep_cancels_its_trials_experiments_and_frees_the_slot()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var sweep = host.Client.GetGrain<ISweepGrain>("cancel-1");
        var yaml = SweepSpecs.Yaml(data, epochs: 50, ["optim_wrapper.optimizer.lr: {type: uniform, lower: 0.01, upper: 0.1}"],
            Settings("random", 4, concurrent: 2, "{type: fifo}"));
        await sweep.Submit(SweepSpecs.Submission(yaml));
        await WaitFor(host, "cancel-1", s => s.Trials.Any(t => t.State == TrialState.Running), "a running trial");

        var cancelled = await sweep.Cancel("user asked");

        Assert.Equal((SweepState.Cancelled, "user asked", 2), (cancelled.State, cancelled.Reason, cancelled.Trials.Count));
        foreach (var trial in cancelled.Trials)
        {
            Assert.Equal((TrialState.Cancelled, "the sweep ended: user asked"), (trial.State, trial.Reason));
            var run = await host.Experiment(trial.ExperimentId!).GetStatus();
            Assert.Equal((ExperimentState.Cancelled, "the sweep ended: user asked"), (run.State, run.Reason));
        }
        var view = await host.Registry.GetView();
        Assert.All(view.Silos.SelectMany(s => s.Slots), slot => Assert.Null(slot.ExperimentId));
        Assert.Equal(SweepState.Cancelled, Assert.Single(await host.Client.GetGrain<ISweepIndexGrain>(0).List()).State);
        Assert.Equal(SweepState.Cancelled, (await sweep.Cancel("again")).State);
    }

    [Fact]
    public async Task A_bad_spec_or_more_workers_than_the_cluster_has_is_rejected_and_nothing_is_stored()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        await host.RegisterCpuSlot(host.Primary);
        var sweep = host.Client.GetGrain<ISweepGrain>("bad-1");
        var unknownKey = SweepSpecs.Yaml(data, 1, ["optim_wrapper.optimizer.lrr: {type: uniform, lower: 0.01, upper: 0.1}"],
            Settings("random", 2, 1, "{type: fifo}"));
        var tooWide = SweepSpecs.Yaml(data, 1, ["optim_wrapper.optimizer.lr: {type: uniform, lower: 0.01, upper: 0.1}"],
            [.. Settings("random", 2, 1, "{type: fifo}").Where(l => !l.StartsWith("workers_per_trial")), "workers_per_trial: 2"]);

        var badKey = await Assert.ThrowsAsync<SweepRejectedException>(() => sweep.Submit(SweepSpecs.Submission(unknownKey)));
        var wide = await Assert.ThrowsAsync<SweepRejectedException>(() => sweep.Submit(SweepSpecs.Submission(tooWide)));

        Assert.StartsWith("tiny_sweep.yaml: search_space.optim_wrapper.optimizer.lrr:", badKey.Message);
        Assert.DoesNotContain('\n', badKey.Message);
        Assert.Equal("tiny_sweep.yaml: sweep.workers_per_trial: 2 worker(s) per trial is more than the 1 slot(s) the cluster has", wide.Message);
        await Assert.ThrowsAsync<UnknownSweepException>(() => sweep.GetStatus());
        Assert.False(host.Storage.Contains("sweep", sweep.GetGrainId()));
        Assert.Empty(await host.Registry.ListExperiments());
        Assert.Empty(await host.Client.GetGrain<ISweepIndexGrain>(0).List());
        var badId = await Assert.ThrowsAsync<SweepRejectedException>(() =>
            host.Client.GetGrain<ISweepGrain>("a b").Submit(SweepSpecs.Submission(tooWide)));
        Assert.Equal("sweep id 'a b' may hold only letters, digits, '-', '_' and '.', and may not start with '.'", badId.Message);
    }
}
