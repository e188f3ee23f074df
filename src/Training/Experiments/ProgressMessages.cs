using Cluster.Training.Engine;

namespace Cluster.Training.Experiments;

/// <summary>Log lines of the engine's parts (weight loading, pretrained backbones) as a run's progress messages.</summary>
internal static class ProgressMessages
{
    public static Action<string> To(IProgress<TrainingEvent>? progress) => text => progress?.Report(new TrainingMessage(text));
}
