namespace Cluster.Abstractions.Sweeps;

/// <summary>Pending → Running → Completed | Failed | Cancelled. The three last are terminal.</summary>
[GenerateSerializer]
public enum SweepState
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}

/// <summary>
/// Pending (not started, or its experiment waits for slots) → Running → Completed | Stopped (by the scheduler) |
/// Failed (out of retries) | Cancelled (the sweep ended first); Retrying: failed, a new experiment resumes it from its
/// last checkpoint.
/// </summary>
[GenerateSerializer]
public enum TrialState
{
    Pending,
    Running,
    Completed,
    Stopped,
    Failed,
    Retrying,
    Cancelled,
}

public static class SweepStates
{
    public static bool IsTerminal(this SweepState state) =>
        state is SweepState.Completed or SweepState.Failed or SweepState.Cancelled;

    public static bool IsTerminal(this TrialState state) =>
        state is TrialState.Completed or TrialState.Stopped or TrialState.Failed or TrialState.Cancelled;
}
