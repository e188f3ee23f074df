namespace Cluster.Grains.Experiments;

/// <summary>How experiment grains supervise their workers (silo configuration section <c>Cluster:Experiments</c>).</summary>
public sealed class ExperimentOptions
{
    /// <summary>How often a running experiment asks its workers for a heartbeat, and a pending one retries allocation.</summary>
    public TimeSpan SupervisionInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>A heartbeat not answered within this counts as a miss.</summary>
    public TimeSpan WorkerStatusTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive misses (no answer, or the worker runs something else) before a worker is declared lost.</summary>
    public int MissesBeforeLost { get; set; } = 2;

    /// <summary>
    /// How long a worker whose silo is still a cluster member may fail its heartbeats before it is declared lost. Such
    /// failures happen for seconds after another silo dies (until membership declares it dead); keep this above the
    /// membership's ProbeTimeout × NumMissedProbesLimit.
    /// </summary>
    public TimeSpan UnreachableBeforeLost { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A worker's Start returns at once; one that does not answer within this is treated as lost.</summary>
    public TimeSpan WorkerStartTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Period of the reminder that brings a Pending or Running experiment back on a surviving silo after its own silo
    /// died. Must be at least the silo's <c>ReminderOptions.MinimumReminderPeriod</c>.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Cancel waits at most this long for each worker to stop; a dead worker must not block it.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(5);

    public int MaxLogLines { get; set; } = 5000;
}
