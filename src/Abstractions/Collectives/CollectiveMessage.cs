namespace Cluster.Abstractions.Collectives;

/// <summary>
/// One chunk of a collective between two workers of an experiment's group, delivered to the receiving slot's
/// <see cref="Workers.IGpuWorkerGrain"/>. The payload is raw bytes (float32 data, never per element), lent by the sender
/// and read into a pooled array on the receiving silo (<see cref="CollectivePayload"/>).
/// A message of an older <see cref="Generation"/> than the receiver's run is rejected.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CollectiveMessage(
    [property: Id(0)] string ExperimentId,
    [property: Id(1)] int Generation,
    [property: Id(2)] int FromRank,
    [property: Id(3)] long Tag,
    [property: Id(4)] CollectivePayload Payload);

/// <summary>The receiving slot runs a newer generation of that experiment (or none): the sender's group is gone.</summary>
[GenerateSerializer]
public sealed class StaleGenerationException(string message) : Exception(message);
