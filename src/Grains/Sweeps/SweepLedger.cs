using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;
using Cluster.Training.Configs;
using Cluster.Training.Sweeps;

namespace Cluster.Grains.Sweeps;

/// <summary>
/// The rules of a sweep, free of Orleans: what a trial's result, its experiment's status or a tick changes in the
/// <see cref="SweepRecord"/>, and which experiment calls follow (<see cref="SweepAction"/>). Every decision derives from
/// the record: the scheduler is rebuilt by replaying the recorded results in their recorded order, the searcher is
/// deterministic and a trial's parameters are stored before its experiment is submitted. The caller persists the record
/// before it makes the calls, so a new activation re-derives and repeats whatever was cut short.
/// Per report the work is O(1) in the number of trials (the trial is found by its index, counts are kept).
/// </summary>
public sealed class SweepLedger
{
    private readonly string sweepId;
    private readonly SweepPlan plan;
    private readonly ISearcher searcher;
    private readonly ITrialScheduler scheduler;
    private readonly List<TrialObservation> observations = [];
    /// <summary>Trials whose current experiment was not yet seen ended: the ones to reconcile and, at the end, to stop.</summary>
    private readonly SortedSet<int> live = [];
    private int unfinished;

    public SweepLedger(string sweepId, SweepRecord record, SweepPlan plan)
    {
        this.sweepId = sweepId;
        this.plan = plan;
        Record = record;
        searcher = plan.Spec.CreateSearcher();
        scheduler = plan.Spec.CreateScheduler();
        Replay();
    }

    public SweepRecord Record { get; }

    /// <summary>Changed since <see cref="MarkPersisted"/>.</summary>
    public bool Dirty { get; private set; }

    public void MarkPersisted() => Dirty = false;

    private SweepSettings Settings => plan.Settings;

    /// <summary>Indices of trials whose experiment may still run (reconcile these; cancel them when the sweep ends).</summary>
    public IReadOnlyCollection<int> LiveTrials => live;

    public string ExperimentOf(TrialRecord trial) => TrialIds.Experiment(sweepId, trial.Index, trial.Attempt);

    /// <summary>The trial an experiment id runs, if it is that trial's current attempt.</summary>
    public TrialRecord? TrialOf(string experimentId) =>
        TrialIds.Parse(sweepId, experimentId) is { } parsed && parsed.Index < Record.Trials.Count
            && Record.Trials[parsed.Index].Attempt == parsed.Attempt
            ? Record.Trials[parsed.Index]
            : null;

    public TrialRecord? TrialById(string trialId) =>
        TrialIds.Parse(sweepId, trialId) is { Attempt: 0 } parsed && parsed.Index < Record.Trials.Count
            ? Record.Trials[parsed.Index]
            : null;

    /// <summary>Starts trials up to max_concurrent_trials (each suggested only now, so TPE learns from the finished
    /// ones), and ends the sweep once every trial has ended and none is left to suggest.</summary>
    public List<SweepAction> Fill(DateTimeOffset now)
    {
        var actions = new List<SweepAction>();
        if (Record.State.IsTerminal()) return actions;
        if (Record.State == SweepState.Pending)
        {
            Record.State = SweepState.Running;
            Dirty = true;
        }
        if (Settings.Stop.TimeBudgetSeconds is { } budget && (now - Record.CreatedAt).TotalSeconds >= budget)
            return End(SweepState.Completed, $"time budget of {budget:0.###} s spent", now);

        bool exhausted = Record.Trials.Count >= searcher.TotalTrials;
        // A trial holds its place until its experiment has ended too: one stopped or completed at its last epoch may
        // still be cancelling or writing its final checkpoint on its slot.
        int occupied = Record.Trials.Count(t => !t.State.IsTerminal() || !t.ExperimentEnded);
        while (!exhausted && occupied < Settings.MaxConcurrentTrials)
        {
            var parameters = searcher.Suggest(Record.Trials.Count, observations);
            if (parameters is null)
            {
                exhausted = true;
                break;
            }
            var trial = new TrialRecord
            {
                Index = Record.Trials.Count,
                Parameters = new Dictionary<string, object>(parameters),
                State = TrialState.Pending,
                StartedAt = now,
            };
            Record.Trials.Add(trial);
            unfinished++;
            occupied++;
            Dirty = true;
            if (Start(trial, now) is { } start) actions.Add(start);
            exhausted = Record.Trials.Count >= searcher.TotalTrials;
        }
        if (exhausted && unfinished == 0)
            actions.AddRange(End(SweepState.Completed, $"all {Record.Trials.Count} trials ended", now));
        return actions;
    }

    /// <summary>A validation result the trial's experiment reported (also replayed from its status).</summary>
    public List<SweepAction> OnResult(string experimentId, int epoch, IReadOnlyDictionary<string, double> metrics, DateTimeOffset now)
    {
        var actions = new List<SweepAction>();
        if (Record.State.IsTerminal() || TrialOf(experimentId) is not { } trial || trial.State.IsTerminal()) return actions;
        if (trial.State != TrialState.Running)
        {
            trial.State = TrialState.Running;
            trial.Reason = null;
            Dirty = true;
        }
        double value = metrics.TryGetValue(Settings.Metric, out double reported) ? reported : double.NaN;
        if (!Remember(trial, epoch, value)) return actions;

        var decision = scheduler.OnResult(TrialIds.Trial(sweepId, trial.Index), epoch, value);
        if (Settings.Stop.TargetReached(value, Settings.Mode))
        {
            Finish(trial, TrialState.Completed, $"reached the metric target {Settings.Stop.MetricTarget} at epoch {epoch}", now);
            if (NeedsCancel(trial)) actions.Add(new CancelExperiment(trial.Index, ExperimentOf(trial), trial.Reason!));
            actions.AddRange(End(SweepState.Completed,
                $"metric target {Settings.Stop.MetricTarget} reached by trial {TrialIds.Trial(sweepId, trial.Index)} ({value})", now));
            return actions;
        }
        switch (decision)
        {
            case TrialDecision.Stop:
                var reason = $"stopped by {plan.SchedulerTitle} at epoch {epoch}";
                Finish(trial, TrialState.Stopped, reason, now);
                actions.Add(new CancelExperiment(trial.Index, ExperimentOf(trial), reason));
                break;
            case TrialDecision.Complete:
                Finish(trial, TrialState.Completed, $"completed by {plan.SchedulerTitle} at epoch {epoch}", now);
                if (NeedsCancel(trial)) actions.Add(new CancelExperiment(trial.Index, ExperimentOf(trial), trial.Reason!));
                break;
            default:
                return actions;
        }
        actions.AddRange(Fill(now));
        return actions;
    }

    /// <summary>
    /// The status of a trial's current experiment (reconciliation, the end of a run, the answer to a cancel): results it
    /// holds that the sweep missed are recorded first, then its state is taken over: a failure is retried from the
    /// run's last checkpoint up to max_failures.
    /// </summary>
    public List<SweepAction> OnExperimentStatus(ExperimentStatus status, DateTimeOffset now)
    {
        var actions = new List<SweepAction>();
        if (TrialOf(status.Id) is not { } trial) return actions;
        foreach (var epoch in status.History)
        {
            if (epoch.Metrics.Count > 0 && !HasResult(trial, epoch.Epoch))
                actions.AddRange(OnResult(status.Id, epoch.Epoch, epoch.Metrics, now));
        }
        if (!status.State.IsTerminal())
        {
            if (trial.State.IsTerminal() || Record.State.IsTerminal())
            {
                // Decided before (maybe by an activation that died before its cancel went out): say it again.
                if (!actions.OfType<CancelExperiment>().Any(a => a.ExperimentId == status.Id) && NeedsCancel(trial))
                    actions.Add(new CancelExperiment(trial.Index, status.Id, trial.Reason ?? Record.Reason ?? "sweep ended"));
            }
            else if (status.State == ExperimentState.Running && trial.State != TrialState.Running)
            {
                trial.State = TrialState.Running;
                trial.Reason = null;
                Dirty = true;
            }
            else if (status.State == ExperimentState.Pending && trial.State == TrialState.Pending && trial.Reason != status.Reason)
            {
                trial.Reason = status.Reason;
                Dirty = true;
            }
            return actions;
        }

        trial.ExperimentEnded = true;
        live.Remove(trial.Index);
        trial.Checkpoint = status.Checkpoints.FirstOrDefault(c => c.IsBest) ?? LastCheckpoint(status) ?? trial.Checkpoint;
        Dirty = true;
        if (Record.State.IsTerminal()) return actions;
        if (trial.State.IsTerminal())
        {
            actions.AddRange(Fill(now)); // its place is free now
            return actions;
        }
        switch (status.State)
        {
            case ExperimentState.Completed:
                Finish(trial, TrialState.Completed, null, now);
                break;
            case ExperimentState.Cancelled:
                Finish(trial, TrialState.Cancelled, $"its experiment {status.Id} was cancelled: {status.Reason}", now);
                break;
            default:
                trial.Failures++;
                if (trial.Failures > Settings.MaxFailures)
                {
                    Finish(trial, TrialState.Failed, status.Reason, now);
                    break;
                }
                trial.ResumeFrom = LastCheckpoint(status)?.Uri ?? trial.ResumeFrom;
                trial.Attempt++;
                trial.State = TrialState.Retrying;
                trial.Reason = $"attempt {trial.Attempt} failed ({status.Reason}); retry {trial.Failures} of {Settings.MaxFailures} "
                    + (trial.ResumeFrom is null ? "from the start" : $"from {trial.ResumeFrom}");
                if (Start(trial, now) is { } retry) actions.Add(retry);
                return actions;
        }
        actions.AddRange(Fill(now));
        return actions;
    }

    /// <summary>The experiment of a trial was never submitted (the grain stopped between storing and submitting it).</summary>
    public SweepAction? OnExperimentMissing(string experimentId, DateTimeOffset now)
    {
        if (TrialOf(experimentId) is not { } trial) return null;
        if (trial.State.IsTerminal() || Record.State.IsTerminal())
        {
            trial.ExperimentEnded = true;
            live.Remove(trial.Index);
            Dirty = true;
            return null;
        }
        return Start(trial, now);
    }

    /// <summary>The trial's experiment refused its config: retrying cannot help, the trial fails.</summary>
    public List<SweepAction> OnStartRejected(string experimentId, string message, DateTimeOffset now)
    {
        if (TrialOf(experimentId) is not { } trial) return [];
        trial.ExperimentEnded = true;
        live.Remove(trial.Index);
        Dirty = true;
        if (trial.State.IsTerminal() || Record.State.IsTerminal()) return [];
        trial.Failures++;
        Finish(trial, TrialState.Failed, message, now);
        return Fill(now);
    }

    /// <summary>Ends the sweep: trials still going are cancelled (their history kept).</summary>
    public List<SweepAction> End(SweepState state, string reason, DateTimeOffset now)
    {
        if (Record.State.IsTerminal()) return [];
        Record.State = state;
        Record.Reason = reason;
        Record.EndedAt = now;
        Dirty = true;
        var actions = new List<SweepAction>();
        // A trial that ended before has had its cancel sent (reconciliation repeats it if it was lost).
        foreach (int index in live)
        {
            var trial = Record.Trials[index];
            if (trial.State.IsTerminal()) continue;
            Finish(trial, TrialState.Cancelled, $"the sweep ended: {reason}", now);
            actions.Add(new CancelExperiment(index, ExperimentOf(trial), trial.Reason!));
        }
        return actions;
    }

    public string TrialConfigYaml(TrialRecord trial) => plan.TrialConfig(trial.Parameters, resumeFrom: null).Yaml;

    public SweepStatus ToStatus()
    {
        var best = Best();
        return new SweepStatus
        {
            Id = sweepId,
            Name = plan.Submission.Name,
            State = Record.State,
            Reason = Record.Reason,
            Metric = Settings.Metric,
            Mode = plan.ModeName,
            SearchAlgorithm = plan.SearchAlgorithmName,
            Scheduler = plan.SchedulerName,
            PlannedTrials = searcher.TotalTrials,
            MaxConcurrentTrials = Settings.MaxConcurrentTrials,
            WorkersPerTrial = Settings.WorkersPerTrial,
            ConfigName = plan.Submission.Name,
            SearchSpace = plan.Spec.SearchSpace.ToDictionary(d => d.KeyPath, d => d.Distribution.TypeName),
            Trials = Record.Trials.Select(ToStatus).ToList(),
            Best = best is { } b
                ? new BestTrial(TrialIds.Trial(sweepId, b.Trial.Index), ParameterText.Of(b.Trial.Parameters), b.Result.Value,
                    b.Result.Epoch, ExperimentOf(b.Trial), b.Trial.Checkpoint)
                : null,
            CreatedAt = Record.CreatedAt,
            EndedAt = Record.EndedAt,
        };
    }

    public SweepSummary ToSummary()
    {
        var best = Best();
        return new SweepSummary(sweepId, plan.Submission.Name, Record.State, Record.CreatedAt, Record.EndedAt,
            Record.Trials.Count, Record.Trials.Count(t => t.State == TrialState.Completed),
            Record.Trials.Count(t => t.State is TrialState.Running or TrialState.Retrying), Settings.Metric,
            best is { } b ? TrialIds.Trial(sweepId, b.Trial.Index) : null, best?.Result.Value);
    }

    private TrialStatus ToStatus(TrialRecord trial)
    {
        var last = trial.History.Count > 0 ? trial.History[^1] : null;
        var best = BestResult(trial);
        return new TrialStatus(TrialIds.Trial(sweepId, trial.Index), trial.Index, ParameterText.Of(trial.Parameters), trial.State,
            trial.Reason, trial.StartedAt is null ? null : ExperimentOf(trial), trial.Failures, last?.Epoch ?? 0, last?.Value,
            best?.Value, trial.History.Select(r => new MetricPoint(r.Epoch, r.Value)).ToList(), trial.Checkpoint,
            trial.StartedAt, trial.EndedAt);
    }

    /// <summary>The best trial as <see cref="SweepResults.Best"/> picks it: the finished (completed or early-stopped)
    /// trial with the best last metric.</summary>
    private (TrialRecord Trial, RecordedResult Result)? Best()
    {
        var outcomes = Record.Trials.Select(t => new TrialOutcome(TrialIds.Trial(sweepId, t.Index), LastResult(t)?.Value,
            t.State is TrialState.Completed or TrialState.Stopped));
        if (SweepResults.Best(outcomes, Settings.Mode) is not { } best) return null;
        var trial = TrialById(best.TrialId)!;
        return (trial, LastResult(trial)!);
    }

    private static RecordedResult? LastResult(TrialRecord trial) => trial.History.FindLast(r => !double.IsNaN(r.Value));

    private RecordedResult? BestResult(TrialRecord trial)
    {
        RecordedResult? best = null;
        foreach (var result in trial.History)
            if (!double.IsNaN(result.Value) && (best is null || Better(result.Value, best.Value)))
                best = result;
        return best;
    }

    private bool Better(double value, double than) => SweepResults.IsBetter(value, than, Settings.Mode);

    /// <summary>Records a result; false when that epoch was already recorded (a retry ran it again: its value is
    /// updated, but the scheduler saw the epoch once).</summary>
    private bool Remember(TrialRecord trial, int epoch, double value)
    {
        var history = trial.History;
        if (history.Count > 0 && history[^1].Epoch >= epoch)
        {
            int at = history.FindLastIndex(r => r.Epoch == epoch);
            if (at >= 0 && !history[at].Value.Equals(value))
            {
                history[at] = history[at] with { Value = value };
                Dirty = true;
            }
            if (at >= 0) return false;
            // An epoch older than the last recorded one but new: keep epoch order.
            history.Insert(history.FindIndex(r => r.Epoch > epoch), new RecordedResult(epoch, value, ++Record.Sequence));
            Dirty = true;
            return true;
        }
        history.Add(new RecordedResult(epoch, value, ++Record.Sequence));
        Dirty = true;
        return true;
    }

    private static bool HasResult(TrialRecord trial, int epoch) =>
        trial.History.Count > 0 && trial.History[^1].Epoch >= epoch && trial.History.Exists(r => r.Epoch == epoch);

    private StartExperiment? Start(TrialRecord trial, DateTimeOffset now)
    {
        var experimentId = ExperimentOf(trial);
        string yaml;
        try
        {
            (yaml, trial.MaxEpochs) = plan.TrialConfig(trial.Parameters, trial.ResumeFrom);
        }
        catch (ConfigException e)
        {
            trial.ExperimentEnded = true;
            Finish(trial, TrialState.Failed, e.Message, now);
            return null;
        }
        trial.ExperimentEnded = false;
        trial.StartedAt ??= now;
        live.Add(trial.Index);
        Dirty = true;
        return new StartExperiment(trial.Index, experimentId, plan.ExperimentSpec(sweepId, yaml));
    }

    private void Finish(TrialRecord trial, TrialState state, string? reason, DateTimeOffset now)
    {
        trial.State = state;
        trial.Reason = reason;
        trial.EndedAt = now;
        trial.CompletedSequence = ++Record.Sequence;
        scheduler.OnComplete(TrialIds.Trial(sweepId, trial.Index));
        unfinished--;
        if (state is TrialState.Completed or TrialState.Stopped) Observe(trial);
        Dirty = true;
    }

    /// <summary>Whether the trial's experiment must be cancelled: it may still run, and the trial did not end at its
    /// config's last epoch (that run ends by itself; cancelling it would cut its final checkpoint).</summary>
    private static bool NeedsCancel(TrialRecord trial) =>
        !trial.ExperimentEnded && !(trial.State == TrialState.Completed && trial.History.Count > 0
            && trial.History[^1].Epoch >= trial.MaxEpochs);

    private static CheckpointRef? LastCheckpoint(ExperimentStatus status) =>
        status.Checkpoints.Where(c => !c.IsBest).MaxBy(c => c.Iteration);

    private void Observe(TrialRecord trial)
    {
        if (LastResult(trial) is { } last) observations.Add(new TrialObservation(trial.Index, trial.Parameters, last.Value));
    }

    /// <summary>Rebuilds what is not persisted: the scheduler (recorded results and ends in their recorded order),
    /// the searcher's observations and the counts.</summary>
    private void Replay()
    {
        var inputs = new List<(long Sequence, int Index, RecordedResult? Result)>();
        foreach (var trial in Record.Trials)
        {
            foreach (var result in trial.History) inputs.Add((result.Sequence, trial.Index, result));
            if (trial.CompletedSequence is { } ended) inputs.Add((ended, trial.Index, null));
            if (!trial.State.IsTerminal()) unfinished++;
            else if (trial.State is TrialState.Completed or TrialState.Stopped) Observe(trial);
            if (!trial.ExperimentEnded) live.Add(trial.Index);
        }
        inputs.Sort((a, b) => a.Sequence.CompareTo(b.Sequence));
        foreach (var (_, index, result) in inputs)
        {
            var trialId = TrialIds.Trial(sweepId, index);
            if (result is null) scheduler.OnComplete(trialId);
            else scheduler.OnResult(trialId, result.Epoch, result.Value);
        }
    }
}
