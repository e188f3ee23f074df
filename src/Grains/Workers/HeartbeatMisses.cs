namespace Cluster.Grains.Workers;

/// <summary>
/// Decides from consecutive heartbeats when a supervised worker (or any worker of a group) is lost: after
/// <c>missesBeforeLost</c> beats in a row with a definite problem (it answered idle or busy with something else, or its
/// silo is no longer a member), or once it has been unreachable on a live silo for <c>unreachableBeforeLost</c>
/// (longer than membership takes to declare a dead silo dead, after which its beats become definite misses).
/// </summary>
internal sealed class HeartbeatMisses(int missesBeforeLost, TimeSpan unreachableBeforeLost)
{
    private int misses;
    private DateTimeOffset? unreachableSince;

    /// <returns>Why the worker is lost, or null while it is not (yet).</returns>
    public string? Beat(IReadOnlyList<(string WorkerKey, WorkerProbe Probe)> beats, DateTimeOffset now)
    {
        var definite = beats.FirstOrDefault(b => b.Probe is { Problem: not null, Unreachable: false });
        var unreachable = beats.FirstOrDefault(b => b.Probe.Unreachable);
        misses = definite.WorkerKey is null ? 0 : misses + 1;
        unreachableSince = unreachable.WorkerKey is null ? null : unreachableSince ?? now;
        if (definite.WorkerKey is not null && misses >= missesBeforeLost)
            return $"worker {definite.WorkerKey} lost ({definite.Probe.Problem})";
        if (unreachableSince is { } since && now - since >= unreachableBeforeLost)
            return $"worker {unreachable.WorkerKey} lost (unreachable for {(now - since).TotalSeconds:0} s on a live silo: {unreachable.Probe.Problem})";
        return null;
    }

    public void Reset()
    {
        misses = 0;
        unreachableSince = null;
    }
}
