namespace Cluster.Training.Distributed;

/// <summary>
/// The group cannot go on as formed (a peer died, hung, or belongs to an older generation), but the run can: the
/// experiment re-forms the group and resumes from its last checkpoint. Anything else a rank throws fails the run.
/// </summary>
public class GroupFaultException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A collective waited longer than its timeout for a peer: that peer is dead or hung.</summary>
public sealed class CollectiveTimeoutException(int peerRank, TimeSpan timeout, string operation)
    : GroupFaultException($"{operation}: no message from rank {peerRank} within {timeout.TotalSeconds:0.#} s (dead or hung worker)")
{
    public int PeerRank { get; } = peerRank;
}
