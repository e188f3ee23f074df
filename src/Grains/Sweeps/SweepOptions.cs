namespace Cluster.Grains.Sweeps;

/// <summary>How sweep grains drive their trials (silo configuration section <c>Cluster:Sweeps</c>).</summary>
public sealed class SweepOptions
{
    /// <summary>How often a live sweep reconciles its trials with their experiments, checks its time budget and fills free trial slots.</summary>
    public TimeSpan TickInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Period of the reminder that brings a live sweep back on a surviving silo after its own silo died. Must be at least
    /// the silo's <c>ReminderOptions.MinimumReminderPeriod</c>.
    /// </summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A call to a trial's experiment that takes longer is given up until the next tick.</summary>
    public TimeSpan ExperimentCallTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
