namespace Cluster.Training.Sweeps;

/// <summary>No early stopping: every trial runs until its training ends.</summary>
public sealed class FifoScheduler : ITrialScheduler
{
    public TrialDecision OnResult(string trialId, int time, double metric) => TrialDecision.Continue;

    public void OnComplete(string trialId)
    {
    }
}
