namespace Cluster.Grains.Workers;

/// <summary>
/// Where a silo's compute slots keep a run's local files (work_dir, downloaded resume checkpoints), and how they
/// flush reports and buffer collective messages.
/// </summary>
public sealed class WorkerOptions
{
    public string ScratchPath { get; set; } = Path.Combine(Path.GetTempPath(), "cluster-scratch");

    /// <summary>How long a stopped run's last reports may take to reach an unreachable experiment before they are dropped.</summary>
    public TimeSpan ReportFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Bytes a slot keeps for collective messages of generations it has not started yet (its peers started first);
    /// beyond that a sender's group is treated as broken.
    /// </summary>
    public long MaxEarlyCollectiveBytes { get; set; } = 1L << 30;

    /// <summary>How long such early messages wait for their generation to start on the slot before they are dropped.</summary>
    public TimeSpan EarlyCollectiveExpiry { get; set; } = TimeSpan.FromMinutes(5);
}
