namespace Cluster.Grains.Workers;

/// <summary>Where a silo's compute slots keep a run's local files (work_dir, downloaded resume checkpoints).</summary>
public sealed class WorkerOptions
{
    public string ScratchPath { get; set; } = Path.Combine(Path.GetTempPath(), "cluster-scratch");

    /// <summary>How long a stopped run's last reports may take to reach an unreachable experiment before they are dropped.</summary>
    public TimeSpan ReportFlushTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
