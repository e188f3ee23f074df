namespace Cluster.Training.Distributed;

/// <summary>
/// The replicas' parameters differ after an epoch: a bug or nondeterminism that averaging cannot repair. Not a
/// <see cref="GroupFaultException"/>: restarting would hide it, so the run fails loudly.
/// </summary>
public sealed class ReplicaDivergedException(int epoch, IReadOnlyList<string> hashesByRank)
    : Exception($"replicas diverged after epoch {epoch}: parameter hashes by rank {string.Join(", ", hashesByRank.Select((h, r) => $"{r}={h}"))}");
