namespace Cluster.Grains.Experiments;

/// <summary>What applying a worker event asks of the grain.</summary>
public enum EventEffect
{
    /// <summary>Nothing durable changed (progress, log lines ride along with the next write).</summary>
    None,
    /// <summary>History, metrics or checkpoints changed: write the state.</summary>
    Persist,
    /// <summary>The run reached a terminal state: write, free its slots, stop supervising.</summary>
    Ended,
}
