using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Sweeps;

namespace Cluster.Grains.Sweeps;

/// <summary>A sweep's persisted state. <see cref="SweepLedger"/> holds the rules that change it.</summary>
[GenerateSerializer]
public sealed class SweepRecord
{
    /// <summary>Null until a submission was accepted: the id is unknown.</summary>
    [Id(0)] public SweepSubmission? Submission { get; set; }
    [Id(1)] public SweepState State { get; set; }
    [Id(2)] public string? Reason { get; set; }
    /// <summary>Trial i sits at index i: a report finds its trial in O(1) from the experiment id.</summary>
    [Id(3)] public List<TrialRecord> Trials { get; set; } = [];
    [Id(4)] public DateTimeOffset CreatedAt { get; set; }
    [Id(5)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>Numbers every scheduler input (results, completions), so a new activation replays them in order.</summary>
    [Id(6)] public long Sequence { get; set; }

    public bool Exists => Submission is not null;
}

/// <summary>One trial: its parameters, the experiments that ran it, its metric history and how it ended.</summary>
[GenerateSerializer]
public sealed class TrialRecord
{
    [Id(0)] public int Index { get; set; }
    /// <summary>Search key path → value as the searcher drew it (long, double, bool or string).</summary>
    [Id(1)] public Dictionary<string, object> Parameters { get; set; } = [];
    [Id(2)] public TrialState State { get; set; }
    [Id(3)] public string? Reason { get; set; }
    /// <summary>The current attempt: 0 runs as experiment <c>{sweep}-t{NNN}</c>, k as <c>{sweep}-t{NNN}-r{k}</c>.</summary>
    [Id(4)] public int Attempt { get; set; }
    [Id(5)] public int Failures { get; set; }
    /// <summary>The sweep's metric per validated epoch, in epoch order, over every attempt.</summary>
    [Id(6)] public List<RecordedResult> History { get; set; } = [];
    /// <summary>The checkpoint the current attempt resumes from (a failed attempt's last one); null from scratch.</summary>
    [Id(7)] public string? ResumeFrom { get; set; }
    [Id(8)] public CheckpointRef? Checkpoint { get; set; }
    [Id(9)] public DateTimeOffset? StartedAt { get; set; }
    [Id(10)] public DateTimeOffset? EndedAt { get; set; }
    /// <summary>The current attempt's experiment was seen in a terminal state: nothing is left to stop or reconcile.</summary>
    [Id(11)] public bool ExperimentEnded { get; set; }
    /// <summary>Where the scheduler's <c>OnComplete</c> for this trial falls in <see cref="SweepRecord.Sequence"/>; null before.</summary>
    [Id(12)] public long? CompletedSequence { get; set; }
    /// <summary>The epochs the trial's config trains (a scheduler may complete it earlier).</summary>
    [Id(13)] public int MaxEpochs { get; set; }
}

/// <summary>The sweep's metric at one epoch, and its place in the order the scheduler saw results.</summary>
[GenerateSerializer]
public sealed record RecordedResult(
    [property: Id(0)] int Epoch,
    [property: Id(1)] double Value,
    [property: Id(2)] long Sequence);
