using Cluster.Training.Engine;

namespace Cluster.Tests.Engine;

/// <summary>A synchronous progress sink that keeps every event and can react to one.</summary>
internal sealed class EventLog(Action<TrainingEvent>? onReport = null) : IProgress<TrainingEvent>
{
    public List<TrainingEvent> Events { get; } = [];

    public IEnumerable<T> OfType<T>() => Events.OfType<T>();

    public void Report(TrainingEvent value)
    {
        Events.Add(value);
        onReport?.Invoke(value);
    }
}
