namespace Cluster.Training.Engine;

/// <summary>
/// Hands each event to a callback on the training thread, in order, as it happens (<see cref="Progress{T}"/> would post
/// it to a captured context or the thread pool, reordering and delaying events).
/// </summary>
public sealed class SyncProgress(Action<TrainingEvent> report) : IProgress<TrainingEvent>
{
    public void Report(TrainingEvent value) => report(value);
}
