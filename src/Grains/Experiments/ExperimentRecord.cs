using Cluster.Abstractions.Experiments;

namespace Cluster.Grains.Experiments;

/// <summary>An experiment's persisted state. <see cref="ExperimentLedger"/> holds the rules that change it.</summary>
[GenerateSerializer]
public sealed class ExperimentRecord
{
    /// <summary>Null until a submission was accepted: the id is unknown.</summary>
    [Id(0)] public ExperimentSpec? Spec { get; set; }
    [Id(1)] public ExperimentState State { get; set; }
    [Id(2)] public string? Reason { get; set; }
    [Id(3)] public List<WorkerAssignment> Workers { get; set; } = [];
    [Id(4)] public int Generation { get; set; }
    [Id(5)] public List<EpochRecord> History { get; set; } = [];
    [Id(6)] public Dictionary<string, double> Metrics { get; set; } = [];
    [Id(7)] public BestMetric? Best { get; set; }
    [Id(8)] public List<CheckpointRef> Checkpoints { get; set; } = [];
    [Id(9)] public DateTimeOffset CreatedAt { get; set; }
    [Id(10)] public DateTimeOffset? StartedAt { get; set; }
    [Id(11)] public DateTimeOffset? EndedAt { get; set; }
    [Id(12)] public int Restarts { get; set; }
    [Id(13)] public int MaxEpochs { get; set; }
    /// <summary>The newest log lines; <see cref="LogDropped"/> older ones were dropped, so line numbers stay absolute.</summary>
    [Id(14)] public List<string> Log { get; set; } = [];
    [Id(15)] public int LogDropped { get; set; }
    /// <summary>
    /// Worker keys kept out of the next groups: they did not stop when told to (hung), or did not answer. One is let
    /// back in once it answers idle; a slot of a dead silo never comes back (its key names the silo process).
    /// </summary>
    [Id(16)] public List<string> Excluded { get; set; } = [];

    public bool Exists => Spec is not null;
}
