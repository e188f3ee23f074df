namespace Cluster.Abstractions.Collectives;

/// <summary>
/// One chunk of a collective between two workers of an experiment's group, delivered to the receiving slot's
/// <see cref="Workers.IGpuWorkerGrain"/> (<see cref="To"/>, its worker key). The payload is raw bytes (float32 data,
/// never per element), lent by the sender; on the receiving silo <see cref="CollectiveMessageCodec"/> reads them into
/// the receive posted for them, or into a pooled array (<see cref="CollectivePayload"/>).
/// A message of an older <see cref="Generation"/> than the receiver's run is rejected.
/// </summary>
[Immutable]
public sealed record CollectiveMessage(string To, string ExperimentId, int Generation, int FromRank, long Tag, CollectivePayload Payload);

/// <summary>The receiving slot runs a newer generation of that experiment (or none): the sender's group is gone.</summary>
[GenerateSerializer]
public sealed class StaleGenerationException(string message) : Exception(message);
