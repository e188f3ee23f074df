namespace Cluster.Training.Distributed;

/// <summary>
/// The group cannot go on as formed (a peer died, hung, or belongs to an older generation), but the run can: the
/// experiment re-forms the group and resumes from its last checkpoint. Anything else a rank throws fails the run.
/// </summary>
public class GroupFaultException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// A collective waited longer than its timeout for a peer: that peer is dead or hung. <see cref="PeerRank"/> is -1
/// where the backend cannot tell which peer it waits for (NCCL).
/// </summary>
public sealed class CollectiveTimeoutException(int peerRank, TimeSpan timeout, string operation)
    : GroupFaultException(peerRank >= 0
        ? $"{operation}: no message from rank {peerRank} within {timeout.TotalSeconds:0.#} s (dead or hung worker)"
        : $"{operation}: not finished within {timeout.TotalSeconds:0.#} s (a dead or hung worker; the backend cannot tell which)")
{
    public int PeerRank { get; } = peerRank;
}
