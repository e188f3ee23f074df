namespace Cluster.Grains.Experiments;

/// <summary>What applying a worker event asks of the grain.</summary>
public enum EventEffect
{
    /// <summary>Nothing durable changed (progress, log lines ride along with the next write).</summary>
    None,
    /// <summary>History, metrics or checkpoints changed: write the state.</summary>
    Persist,
    /// <summary>A worker failed retryably (a peer died or hung): stop the group and re-form it from the last checkpoint.</summary>
    Regroup,
    /// <summary>The run reached a terminal state: write, free its slots, stop supervising.</summary>
    Ended,
}
