using Orleans.Concurrency;
using Cluster.Abstractions.Workers;

namespace Cluster.Abstractions.Experiments;

/// <summary>One training run, keyed by experiment id. Its state survives the loss of any silo.</summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates the spec and starts the run; returns at once (training runs on workers, off this grain's turns).
    /// Throws <see cref="ExperimentRejectedException"/> for a bad config or an id already used; then nothing is stored.
    /// </summary>
    Task<ExperimentStatus> Submit(ExperimentSpec spec);

    /// <summary>Throws <see cref="UnknownExperimentException"/> for an id never submitted.</summary>
    Task<ExperimentStatus> GetStatus();

    /// <summary>Stops the run (mid-epoch), frees its slots; a terminal run is left as it is.</summary>
    Task<ExperimentStatus> Cancel(string reason);

    /// <summary>Log lines from <paramref name="fromLine"/> on (0-based), at most <paramref name="maxLines"/>.</summary>
    Task<LogPage> GetLogs(int fromLine, int maxLines);

    /// <summary>
    /// Rendezvous of a generation (the NCCL unique id): rank 0 publishes it, the other ranks poll
    /// <see cref="GetRendezvous"/> until it is there. Ignored for a generation other than the current one.
    /// </summary>
    [AlwaysInterleave]
    Task PublishRendezvous(int generation, byte[] rendezvous);

    /// <summary>The rendezvous rank 0 published for that generation, or null while there is none yet.</summary>
    [AlwaysInterleave]
    Task<byte[]?> GetRendezvous(int generation);

    /// <summary>Called by the group's workers; reports of another generation are ignored.</summary>
    [AlwaysInterleave]
    Task Report(WorkerReport report);
}

[GenerateSerializer, Immutable]
public sealed record LogPage(
    [property: Id(0)] IReadOnlyList<string> Lines,
    [property: Id(1)] int NextLine,
    [property: Id(2)] bool Ended);
