using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;
using Cluster.Grains.Sweeps;
using Cluster.Tests.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Cluster.Tests.Sweeps.Grains;

/// <summary>
/// The sweep's rules without a cluster: trial results and experiment statuses are fed as the experiments would report
/// them, and the decisions (records and experiment calls) are checked against hand-computed ASHA rungs.
/// </summary>
public sealed class SweepLedgerTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly DemoDataset data = DemoDataset.Create("sweep-ledger-", classes: 2, videosPerClass: 1, seed: 3, frames: 4);

    public void Dispose() => data.Dispose();

    private static readonly string[] FourLrs = ["optim_wrapper.optimizer.lr: {type: grid, values: [0.01, 0.02, 0.03, 0.04]}"];

    private SweepLedger Ledger(string[] sweep, string[]? space = null, int epochs = 4, SweepRecord? record = null)
    {
        var plan = SweepPlan.Parse(SweepSpecs.Submission(SweepSpecs.Yaml(data, epochs, space ?? FourLrs, sweep)));
        return new SweepLedger("sw", record ?? new SweepRecord { Submission = plan.Submission, CreatedAt = T0 }, plan);
    }

    private static string[] Asha(int concurrent = 2, int maxFailures = 0, params string[] more) =>
    [
        "search_alg: grid", "num_samples: 1", "metric: acc/top1", "mode: max", $"max_concurrent_trials: {concurrent}",
        "workers_per_trial: 1", $"max_failures: {maxFailures}", "seed: 0",
        "scheduler: {type: asha, time_attr: epoch, grace_period: 1, reduction_factor: 2, max_t: 4}", .. more,
    ];

    private static Dictionary<string, double> Acc(double value) => new() { ["acc/top1"] = value, ["acc/top5"] = 1 };

    private static CheckpointRef Checkpoint(string experiment, int epoch, bool best = false) =>
        new($"experiments/{experiment}/{(best ? "best" : $"epoch_{epoch}")}.pth", $"file:///store/experiments/{experiment}/epoch_{epoch}.pth",
            "sha", 10, epoch, epoch * 4L, best);

    private static ExperimentStatus Status(string id, ExperimentState state, IEnumerable<(int Epoch, double Acc)>? history = null,
        IReadOnlyList<CheckpointRef>? checkpoints = null, string? reason = null) => new()
    {
        Id = id,
        State = state,
        Reason = reason,
        ConfigName = "tiny_sweep",
        History = (history ?? []).Select(h => new EpochRecord(h.Epoch, 0.5, 0.01, TimeSpan.FromSeconds(1), Acc(h.Acc))).ToList(),
        Checkpoints = checkpoints ?? [],
    };

    [Fact]
    public void Asha_stops_trials_below_their_rung_cutoff_and_fills_the_slot_in_trial_order_once_the_run_ended()
    {
        var ledger = Ledger(Asha());

        var started = ledger.Fill(T0);
        Assert.Equal(["sw-t000", "sw-t001"], started.Select(a => a.ExperimentId));
        var first = Assert.IsType<StartExperiment>(started[0]);
        Assert.Equal(("tiny_sweep", 1, "sw"), (first.Spec.ConfigName, first.Spec.Workers, first.Spec.SweepId));
        Assert.Contains("lr: 0.01", first.Spec.ConfigYaml);
        Assert.Contains("lr: 0.02", ((StartExperiment)started[1]).Spec.ConfigYaml);
        Assert.Equal(SweepState.Running, ledger.Record.State);

        // Rung 1 is empty: t000 continues. Cutoff then = 50th percentile of [0.6] = 0.6, and 0.4 < 0.6 stops t001.
        Assert.Empty(ledger.OnResult("sw-t000", 1, Acc(0.6), T0));
        var stop = ledger.OnResult("sw-t001", 1, Acc(0.4), T0);
        // t001's run still holds its slot until the cancel has ended it; then t002 takes the place.
        Assert.Equal([new CancelExperiment(1, "sw-t001", "stopped by ASHA at epoch 1")], stop);
        var stopped = ledger.Record.Trials[1];
        Assert.Equal((TrialState.Stopped, "stopped by ASHA at epoch 1"), (stopped.State, stopped.Reason));
        var afterCancel = ledger.OnExperimentStatus(Status("sw-t001", ExperimentState.Cancelled, [(1, 0.4)],
            [Checkpoint("sw-t001", 1)], "stopped by ASHA at epoch 1"), T0);
        Assert.Equal("sw-t002", Assert.IsType<StartExperiment>(Assert.Single(afterCancel)).ExperimentId);
        Assert.Equal("experiments/sw-t001/epoch_1.pth", stopped.Checkpoint?.Key);

        // t000 passes rung 2 (empty) and reaches max_t at its last epoch: complete, its run ends by itself.
        Assert.Empty(ledger.OnResult("sw-t000", 2, Acc(0.7), T0));
        Assert.Empty(ledger.OnResult("sw-t000", 3, Acc(0.75), T0));
        Assert.Empty(ledger.OnResult("sw-t000", 4, Acc(0.8), T0));
        Assert.Equal(TrialState.Completed, ledger.Record.Trials[0].State);
        var afterEnd = ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Completed, [(1, 0.6), (2, 0.7), (3, 0.75), (4, 0.8)],
            [Checkpoint("sw-t000", 4)]), T0);
        Assert.Equal(["sw-t003"], afterEnd.Select(a => a.ExperimentId));

        // Rung 1 holds [0.6, 0.4]: cutoff 0.5. t002 (0.9) continues; t003 (0.45) stops; nothing is left to start.
        Assert.Empty(ledger.OnResult("sw-t002", 1, Acc(0.9), T0));
        Assert.Equal([new CancelExperiment(3, "sw-t003", "stopped by ASHA at epoch 1")], ledger.OnResult("sw-t003", 1, Acc(0.45), T0));
        // Rung 2 holds [0.7]: 0.65 stops t002 there.
        Assert.Equal([new CancelExperiment(2, "sw-t002", "stopped by ASHA at epoch 2")], ledger.OnResult("sw-t002", 2, Acc(0.65), T0));

        Assert.Equal((SweepState.Completed, "all 4 trials ended"), (ledger.Record.State, ledger.Record.Reason));
        var status = ledger.ToStatus();
        Assert.Equal([TrialState.Completed, TrialState.Stopped, TrialState.Stopped, TrialState.Stopped], status.Trials.Select(t => t.State));
        Assert.Equal([1, 2], status.Trials[2].History.Select(p => p.Epoch));
        // The best by last metric among finished trials: t002 reached 0.9 once, but was stopped at 0.65.
        Assert.Equal(("sw-t000", 0.8, 4), (status.Best?.TrialId, status.Best?.Metric, status.Best?.Epoch));
        Assert.Equal("0.01", status.Best!.Parameters["optim_wrapper.optimizer.lr"]);
        ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Completed, [(1, 0.6), (2, 0.7), (3, 0.75), (4, 0.8)],
            [Checkpoint("sw-t000", 4), Checkpoint("sw-t000", 4, best: true)]), T0);
        Assert.Equal("experiments/sw-t000/best.pth", ledger.ToStatus().Best?.Checkpoint?.Key);
        Assert.Equal(4, status.PlannedTrials);
    }

    [Fact]
    public void A_trial_completed_by_asha_before_its_last_epoch_has_its_run_cancelled()
    {
        var ledger = Ledger(Asha(concurrent: 1), epochs: 6);
        ledger.Fill(T0);
        foreach (int epoch in new[] { 1, 2, 3 }) Assert.Empty(ledger.OnResult("sw-t000", epoch, Acc(0.5), T0));

        var actions = ledger.OnResult("sw-t000", 4, Acc(0.5), T0);

        Assert.Equal([new CancelExperiment(0, "sw-t000", "completed by ASHA at epoch 4")], actions);
        Assert.Equal(TrialState.Completed, ledger.Record.Trials[0].State);
        var next = ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Cancelled, [(1, 0.5), (2, 0.5), (3, 0.5), (4, 0.5)],
            reason: "completed by ASHA at epoch 4"), T0);
        Assert.Equal("sw-t001", Assert.Single(next).ExperimentId);
    }

    [Fact]
    public void A_failed_trial_resumes_from_its_last_checkpoint_keeping_its_history_until_max_failures()
    {
        var ledger = Ledger(Asha(concurrent: 1, maxFailures: 1), space: ["optim_wrapper.optimizer.lr: {type: grid, values: [0.01]}"]);
        ledger.Fill(T0);
        ledger.OnResult("sw-t000", 1, Acc(0.5), T0);

        var retry = ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Failed, [(1, 0.5)],
            [Checkpoint("sw-t000", 1, best: true), Checkpoint("sw-t000", 2), Checkpoint("sw-t000", 1)], "loss became NaN"), T0);

        var start = Assert.IsType<StartExperiment>(Assert.Single(retry));
        Assert.Equal("sw-t000-r1", start.ExperimentId);
        Assert.Contains("load_from: file:///store/experiments/sw-t000/epoch_2.pth", start.Spec.ConfigYaml);
        Assert.Contains("resume: true", start.Spec.ConfigYaml);
        var trial = ledger.Record.Trials[0];
        Assert.Equal((TrialState.Retrying, 1), (trial.State, trial.Failures));
        Assert.StartsWith("attempt 1 failed (loss became NaN); retry 1 of 1 from file:///store/experiments/sw-t000/epoch_2.pth", trial.Reason);

        // A late report of the failed attempt is not the trial's any more; the retry's results count.
        Assert.Empty(ledger.OnResult("sw-t000", 3, Acc(0.1), T0));
        Assert.Empty(ledger.OnResult("sw-t000-r1", 3, Acc(0.6), T0));
        Assert.Equal(TrialState.Running, trial.State);
        // Failed again, with no checkpoint of its own: out of retries.
        Assert.Empty(ledger.OnExperimentStatus(Status("sw-t000-r1", ExperimentState.Failed, [(3, 0.6)], [], "loss became NaN"), T0)
            .OfType<StartExperiment>());

        Assert.Equal((TrialState.Failed, 2, "loss became NaN"), (trial.State, trial.Failures, trial.Reason));
        Assert.Equal([(1, 0.5), (3, 0.6)], trial.History.Select(r => (r.Epoch, r.Value)));
        Assert.Equal(SweepState.Completed, ledger.Record.State);
        Assert.Equal("sw-t000-r1", ledger.ToStatus().Trials[0].ExperimentId);
    }

    [Fact]
    public void Results_a_lost_report_missed_are_read_back_from_the_experiment_and_then_its_end_is_taken()
    {
        var ledger = Ledger(Asha(concurrent: 1), space: ["optim_wrapper.optimizer.lr: {type: grid, values: [0.01, 0.02]}"]);
        ledger.Fill(T0);

        Assert.Empty(ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Running), T0));
        Assert.Equal(TrialState.Running, ledger.Record.Trials[0].State);
        var next = ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Completed, [(1, 0.5), (2, 0.6), (3, 0.6), (4, 0.7)],
            [Checkpoint("sw-t000", 4)]), T0);

        Assert.Equal(["sw-t001"], next.Select(a => a.ExperimentId));
        var trial = ledger.Record.Trials[0];
        Assert.Equal((TrialState.Completed, true), (trial.State, trial.ExperimentEnded));
        Assert.Equal([1, 2, 3, 4], trial.History.Select(r => r.Epoch));
        Assert.Equal([1], ledger.LiveTrials);
    }

    [Fact]
    public void A_new_ledger_over_the_stored_record_replays_the_rungs_and_decides_as_the_old_one_would()
    {
        var ledger = Ledger(Asha());
        ledger.Fill(T0);
        ledger.OnResult("sw-t000", 1, Acc(0.6), T0);
        ledger.OnResult("sw-t001", 1, Acc(0.4), T0); // stopped; t002 waits for its run to end

        var serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();
        var stored = serializer.Deserialize<SweepRecord>(serializer.SerializeToArray(ledger.Record))!;
        var revived = Ledger(Asha(), record: stored);

        // t001's stop is decided, but its run was not seen ended yet: reconciliation still watches it.
        Assert.Equal([0, 1], revived.LiveTrials.Order());
        Assert.Equal(TrialState.Stopped, stored.Trials[1].State);
        Assert.Empty(revived.Fill(T0)); // t000 and t001's ending run hold both places
        Assert.Equal("sw-t002", Assert.Single(revived.OnExperimentStatus(
            Status("sw-t001", ExperimentState.Cancelled, [(1, 0.4)], reason: "stopped by ASHA at epoch 1"), T0)).ExperimentId);
        Assert.Equal(0.6, stored.Trials[0].History.Single().Value);
        // Rung 1 replayed as [0.6, 0.4]: cutoff 0.5 stops 0.45 (a scheduler that forgot them would not).
        Assert.Equal("stopped by ASHA at epoch 1", Assert.IsType<CancelExperiment>(revived.OnResult("sw-t002", 1, Acc(0.45), T0)[0]).Reason);
        Assert.Equal(ledger.ToStatus().Trials[0].Parameters, revived.ToStatus().Trials[0].Parameters);
    }

    [Fact]
    public void A_stopped_trial_whose_run_still_goes_is_cancelled_again_on_reconciliation()
    {
        var ledger = Ledger(Asha());
        ledger.Fill(T0);
        ledger.OnResult("sw-t000", 1, Acc(0.6), T0);
        ledger.OnResult("sw-t001", 1, Acc(0.4), T0);

        var again = ledger.OnExperimentStatus(Status("sw-t001", ExperimentState.Running, [(1, 0.4), (2, 0.9)]), T0);

        Assert.Equal([new CancelExperiment(1, "sw-t001", "stopped by ASHA at epoch 1")], again);
        Assert.Equal([1], ledger.Record.Trials[1].History.Select(r => r.Epoch));
    }

    [Fact]
    public void Reaching_the_metric_target_completes_the_sweep_and_cancels_the_other_trials()
    {
        var ledger = Ledger(Asha(more: "stop: {metric_target: 0.9}"));
        ledger.Fill(T0);
        ledger.OnResult("sw-t000", 1, Acc(0.5), T0);

        var actions = ledger.OnResult("sw-t001", 1, Acc(0.95), T0);

        Assert.Equal((SweepState.Completed, "metric target 0.9 reached by trial sw-t001 (0.95)"), (ledger.Record.State, ledger.Record.Reason));
        Assert.Equal(["sw-t000", "sw-t001"], actions.OfType<CancelExperiment>().Select(a => a.ExperimentId).Order());
        Assert.Empty(actions.OfType<StartExperiment>());
        Assert.Equal((TrialState.Cancelled, TrialState.Completed), (ledger.Record.Trials[0].State, ledger.Record.Trials[1].State));
        Assert.Equal("sw-t001", ledger.ToStatus().Best?.TrialId);
    }

    [Fact]
    public void A_spent_time_budget_completes_the_sweep_and_cancels_what_runs()
    {
        var ledger = Ledger(Asha(more: "stop: {time_budget_s: 60}"));
        ledger.Fill(T0);
        Assert.Empty(ledger.Fill(T0.AddSeconds(59)));

        var actions = ledger.Fill(T0.AddSeconds(60));

        Assert.Equal(["sw-t000", "sw-t001"], actions.Select(a => a.ExperimentId));
        Assert.All(actions, a => Assert.IsType<CancelExperiment>(a));
        Assert.Equal((SweepState.Completed, "time budget of 60 s spent"), (ledger.Record.State, ledger.Record.Reason));
        Assert.All(ledger.Record.Trials, t => Assert.Equal(TrialState.Cancelled, t.State));
    }

    [Fact]
    public void Cancelling_ends_the_sweep_keeps_finished_trials_and_ignores_later_results()
    {
        var ledger = Ledger(Asha(concurrent: 1));
        ledger.Fill(T0);
        ledger.OnExperimentStatus(Status("sw-t000", ExperimentState.Completed, [(1, 0.5), (2, 0.6), (3, 0.6), (4, 0.7)]), T0);

        var actions = ledger.End(SweepState.Cancelled, "user asked", T0);

        Assert.Equal([new CancelExperiment(1, "sw-t001", "the sweep ended: user asked")], actions);
        Assert.Equal([TrialState.Completed, TrialState.Cancelled], ledger.Record.Trials.Select(t => t.State));
        Assert.Empty(ledger.OnResult("sw-t001", 1, Acc(0.99), T0));
        Assert.Empty(ledger.Fill(T0));
        Assert.Equal(2, ledger.Record.Trials.Count);
    }

    [Fact]
    public void A_trial_whose_experiment_was_never_submitted_is_submitted_again()
    {
        var ledger = Ledger(Asha(concurrent: 1));
        ledger.Fill(T0);

        var again = Assert.IsType<StartExperiment>(ledger.OnExperimentMissing("sw-t000", T0));

        Assert.Equal("sw-t000", again.ExperimentId);
        Assert.Null(ledger.OnExperimentMissing("other-t000", T0));
    }

    [Theory]
    [InlineData("sw-t000", 0, 0)]
    [InlineData("sw-t012-r3", 12, 3)]
    [InlineData("sw-t1000", 1000, 0)]
    public void Experiment_ids_name_their_trial_and_attempt(string id, int index, int attempt)
    {
        Assert.Equal((index, attempt), TrialIds.Parse("sw", id));
        Assert.Equal(id, TrialIds.Experiment("sw", index, attempt));
    }

    [Theory]
    [InlineData("sw2-t000")]
    [InlineData("sw-tx")]
    [InlineData("sw-t001-r0")]
    [InlineData("sw-t001-rx")]
    public void Other_ids_name_no_trial(string id) => Assert.Null(TrialIds.Parse("sw", id));
}
