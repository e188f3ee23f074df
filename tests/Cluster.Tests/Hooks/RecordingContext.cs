using Cluster.Training.Engine;
using Cluster.Training.Hooks;

namespace Cluster.Tests.Hooks;

/// <summary>A training context whose checkpoint saves and deletes are only recorded.</summary>
internal sealed class RecordingContext
{
    public RecordingContext(int maxEpochs, int itersPerEpoch = 2)
    {
        Context = new TrainingContext(maxEpochs, itersPerEpoch, "work",
            (_, path, best) => { Saved.Add((path, best)); return path; }, path => Deleted.Add(path), Events.Add);
    }

    public TrainingContext Context { get; }
    public List<(string Path, bool Best)> Saved { get; } = [];
    public List<string> Deleted { get; } = [];
    public List<TrainingEvent> Events { get; } = [];

    /// <summary>Plays one epoch of iterations through the hook, then the epoch end and a validation.</summary>
    public void Epoch(ITrainingHook hook, IReadOnlyDictionary<string, double>? metrics = null)
    {
        for (int i = 0; i < Context.ItersPerEpoch; i++)
        {
            Context.CompletedIters++;
            hook.AfterTrainIter(Context);
        }
        Context.CompletedEpochs++;
        hook.AfterTrainEpoch(Context);
        if (metrics is not null)
        {
            hook.AfterValEpoch(Context, metrics);
        }
    }
}
