using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;

namespace Cluster.Grains.Experiments;

/// <summary>
/// The bookkeeping of a run, free of Orleans: applying worker events to an <see cref="ExperimentRecord"/>, the best
/// metric, and rewinding to a checkpoint when the run restarts. In a data-parallel group only rank 0 speaks for the
/// training (epochs, validation, checkpoints, progress, the end); every rank's log lines and failures count.
/// </summary>
public static class ExperimentLedger
{
    public const string WaitingForSlot = "waiting for a free slot";

    /// <summary>What a run whose group may not start yet waits for: <paramref name="available"/> usable slots of the fewest it trains with.</summary>
    public static string WaitingForWorkers(int available, int min) => $"waiting for workers: {available} of min {min} free";

    /// <summary>The reason a Pending run shows while too few slots are free: a single-worker run keeps its old wording.</summary>
    public static string Waiting(ExperimentSpec spec, int available) =>
        spec.Workers == 1 ? WaitingForSlot : WaitingForWorkers(available, spec.EffectiveMinWorkers);

    /// <summary>The rank of a worker of the current group, or null for a worker not in it.</summary>
    public static int? RankOf(ExperimentRecord record, string workerKey) =>
        record.Workers.FirstOrDefault(w => w.WorkerKey == workerKey)?.Rank;

    /// <summary>Events that describe the training: in a group only rank 0's count (all ranks train the same model).</summary>
    public static bool IsRankZeroOnly(WorkerEvent @event) =>
        @event is EpochReported or ValidationReported or CheckpointReported or CheckpointDeleted or ProgressReported or RunFinished;

    /// <summary>
    /// Why a worker told to stop <paramref name="generation"/> is hung (its heartbeat still says busy with it: the
    /// training thread does not end, e.g. stuck in a collective or a device call), or null when it stopped.
    /// </summary>
    public static string? HungAfterStop(WorkerStatus status, string experimentId, int generation) =>
        status.Busy && status.ExperimentId == experimentId && status.Generation == generation
            ? $"it is still busy with generation {generation} after being stopped"
            : null;

    /// <summary>An excluded worker may join a group of the experiment again once it is no longer busy with it.</summary>
    public static bool MayRejoin(WorkerStatus status, string experimentId) =>
        !(status.Busy && status.ExperimentId == experimentId);

    /// <summary>
    /// Applies one event of the current generation from <paramref name="workerKey"/>: training events only from rank 0,
    /// log lines (tagged with the rank in a group) and failures from any rank; nothing from a worker outside the group.
    /// </summary>
    public static EventEffect ApplyFrom(ExperimentRecord record, string workerKey, WorkerEvent @event, DateTimeOffset now, int maxLogLines)
    {
        if (RankOf(record, workerKey) is not { } rank) return EventEffect.None;
        if (rank != 0 && IsRankZeroOnly(@event)) return EventEffect.None;
        bool group = record.Workers.Count > 1;
        return @event switch
        {
            LogReported log when group => Apply(record, log with { Line = $"[rank {rank}] {log.Line}" }, now, maxLogLines),
            RunFailed failed when group => Apply(record, failed with { Error = $"rank {rank} ({workerKey}): {failed.Error}" }, now, maxLogLines),
            _ => Apply(record, @event, now, maxLogLines),
        };
    }

    /// <summary>
    /// Applies one event of the current generation; the caller checked generation and state (and the rank: see
    /// <see cref="ApplyFrom"/>). A retryable failure changes nothing here: the grain re-forms the group.
    /// </summary>
    public static EventEffect Apply(ExperimentRecord record, WorkerEvent @event, DateTimeOffset now, int maxLogLines)
    {
        switch (@event)
        {
            case EpochReported epoch:
                MergeEpoch(record, epoch.Epoch);
                return EventEffect.Persist;
            case ValidationReported validation:
                MergeValidation(record, validation.Epoch, validation.Metrics);
                return EventEffect.Persist;
            case CheckpointReported checkpoint:
                AddCheckpoint(record, checkpoint.Checkpoint);
                return EventEffect.Persist;
            case CheckpointDeleted deleted:
                return record.Checkpoints.RemoveAll(c => c.Key == deleted.Key) > 0 ? EventEffect.Persist : EventEffect.None;
            case LogReported log:
                AppendLog(record, log.Line, maxLogLines);
                return EventEffect.None;
            case RunFinished finished:
                foreach (var (name, value) in finished.Metrics) record.Metrics[name] = value;
                End(record, string.Equals(finished.Status, "Cancelled", StringComparison.OrdinalIgnoreCase)
                    ? ExperimentState.Cancelled : ExperimentState.Completed, finished.StopReason, now);
                return EventEffect.Ended;
            case RunFailed { Retryable: true }:
                return EventEffect.Regroup;
            case RunFailed failed:
                End(record, ExperimentState.Failed, failed.Error, now);
                return EventEffect.Ended;
            default:
                return EventEffect.None;
        }
    }

    public static void End(ExperimentRecord record, ExperimentState state, string? reason, DateTimeOffset now)
    {
        record.State = state;
        record.Reason = reason;
        record.EndedAt = now;
    }

    /// <summary>An epoch that ran again (after a restart) replaces its earlier record: each epoch appears once.</summary>
    public static void MergeEpoch(ExperimentRecord record, EpochRecord epoch)
    {
        int index = record.History.FindIndex(h => h.Epoch == epoch.Epoch);
        if (index >= 0) record.History[index] = epoch;
        else record.History.Add(epoch);
        record.History.Sort((a, b) => a.Epoch.CompareTo(b.Epoch));
    }

    public static void MergeValidation(ExperimentRecord record, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        int index = record.History.FindIndex(h => h.Epoch == epoch);
        if (index < 0)
        {
            MergeEpoch(record, new EpochRecord(epoch, 0, 0, TimeSpan.Zero, new Dictionary<string, double>(metrics)));
        }
        else
        {
            var merged = new Dictionary<string, double>(record.History[index].Metrics);
            foreach (var (name, value) in metrics) merged[name] = value;
            record.History[index] = record.History[index] with { Metrics = merged };
        }
        record.Metrics = new Dictionary<string, double>(metrics);
        UpdateBest(record, epoch, metrics);
    }

    /// <summary>
    /// The best is tracked on the first metric the run reported (e.g. <c>acc/top1</c>): higher is better unless its
    /// name says loss. Ties keep the earlier epoch.
    /// </summary>
    public static void UpdateBest(ExperimentRecord record, int epoch, IReadOnlyDictionary<string, double> metrics)
    {
        var name = record.Best?.Name ?? metrics.Keys.FirstOrDefault();
        if (name is null || !metrics.TryGetValue(name, out double value) || double.IsNaN(value)) return;
        bool lowerIsBetter = name.Contains("loss", StringComparison.OrdinalIgnoreCase);
        if (record.Best is { } best && !(lowerIsBetter ? value < best.Value : value > best.Value)) return;
        record.Best = new BestMetric(name, value, epoch);
    }

    /// <summary>A rewritten key replaces its ref; a new best checkpoint replaces the old best (whose file is gone).</summary>
    public static void AddCheckpoint(ExperimentRecord record, CheckpointRef checkpoint)
    {
        record.Checkpoints.RemoveAll(c => c.Key == checkpoint.Key || (checkpoint.IsBest && c.IsBest));
        record.Checkpoints.Add(checkpoint);
    }

    public static void AppendLog(ExperimentRecord record, string line, int maxLines)
    {
        record.Log.Add(line);
        int excess = record.Log.Count - maxLines;
        if (excess <= 0) return;
        record.Log.RemoveRange(0, excess);
        record.LogDropped += excess;
    }

    /// <summary>Where a restarted run resumes: the newest regular (not best) checkpoint, or null to start over.</summary>
    public static CheckpointRef? ResumePoint(ExperimentRecord record) =>
        record.Checkpoints.Where(c => !c.IsBest).OrderBy(c => c.Iteration).ThenBy(c => c.Epoch).LastOrDefault();

    /// <summary>
    /// Forgets what happened after <paramref name="resume"/> (everything when null): those epochs run again and must
    /// not appear twice; metrics and best are recomputed from what remains.
    /// </summary>
    public static void RewindTo(ExperimentRecord record, CheckpointRef? resume)
    {
        int epoch = resume?.Epoch ?? 0;
        record.History.RemoveAll(h => h.Epoch > epoch);
        record.Checkpoints.RemoveAll(c => c.Epoch > epoch);
        record.Best = null;
        record.Metrics = [];
        foreach (var h in record.History.Where(h => h.Metrics.Count > 0))
        {
            UpdateBest(record, h.Epoch, h.Metrics);
            record.Metrics = new Dictionary<string, double>(h.Metrics);
        }
    }

    public static LogPage Logs(ExperimentRecord record, int fromLine, int maxLines)
    {
        int total = record.LogDropped + record.Log.Count;
        int start = Math.Clamp(fromLine, record.LogDropped, total);
        int count = Math.Min(Math.Max(maxLines, 0), total - start);
        var lines = record.Log.GetRange(start - record.LogDropped, count);
        int next = start + count;
        return new LogPage(lines, next, record.State.IsTerminal() && next == total);
    }

    public static ExperimentStatus ToStatus(ExperimentRecord record, string id, LiveProgress? progress, string? artifactsLocation) => new()
    {
        Id = id,
        State = record.State,
        Reason = record.Reason,
        ConfigName = record.Spec?.ConfigName ?? "",
        RequestedWorkers = record.Spec?.Workers ?? 0,
        MinWorkers = record.Spec?.EffectiveMinWorkers ?? 0,
        Workers = [.. record.Workers],
        Generation = record.Generation,
        Progress = progress,
        History = [.. record.History],
        Metrics = new Dictionary<string, double>(record.Metrics),
        Best = record.Best,
        Checkpoints = [.. record.Checkpoints],
        CreatedAt = record.CreatedAt,
        StartedAt = record.StartedAt,
        EndedAt = record.EndedAt,
        ArtifactsLocation = artifactsLocation,
        Restarts = record.Restarts,
    };

    public static Abstractions.Registry.ExperimentSummary ToSummary(ExperimentRecord record, string id) => new(
        id, record.Spec?.ConfigName ?? "", record.State, record.CreatedAt, record.EndedAt,
        record.History.Count == 0 ? 0 : record.History[^1].Epoch, record.MaxEpochs, record.Best);
}
