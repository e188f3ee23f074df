namespace Cluster.Abstractions.Experiments;

/// <summary>Pending → Running → Completed | Failed | Cancelled. The three last are terminal.</summary>
[GenerateSerializer]
public enum ExperimentState
{
    Pending,
    Running,
    Completed,
    Failed,
    Cancelled,
}

public static class ExperimentStates
{
    public static bool IsTerminal(this ExperimentState state) =>
        state is ExperimentState.Completed or ExperimentState.Failed or ExperimentState.Cancelled;
}
