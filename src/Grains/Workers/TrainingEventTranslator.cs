using System.Diagnostics;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Training.Engine;
using Cluster.Training.Storage;

namespace Cluster.Grains.Workers;

/// <summary>
/// Engine events → worker events, on the training thread. Iteration progress is throttled to at most two a second;
/// a checkpoint is reported only once its upload succeeded (the writer's <c>Uploaded</c> fires before the engine's
/// <see cref="CheckpointSaved"/>), with its store key, URI and hash.
/// </summary>
internal sealed class TrainingEventTranslator(Action<WorkerEvent> post, Action<CheckpointRef>? onStored = null)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(500);

    private readonly Dictionary<string, ArtifactInfo> uploaded = [];
    private readonly Stopwatch sinceProgress = new();
    private Func<string, string>? keyOf;

    /// <summary>Follows a checkpoint writer's uploads (call before the run).</summary>
    public void Watch(StoredCheckpointWriter writer)
    {
        keyOf = writer.KeyOf;
        writer.Uploaded += info => { lock (uploaded) uploaded[info.Key] = info; };
        writer.Deleted += key => post(new CheckpointDeleted(key));
    }

    public void Translate(TrainingEvent value)
    {
        switch (value)
        {
            case IterationProgress progress:
                if (sinceProgress.IsRunning && sinceProgress.Elapsed < ProgressInterval) return;
                sinceProgress.Restart();
                post(new ProgressReported(new LiveProgress(progress.Epoch, progress.MaxEpochs, progress.Iteration,
                    progress.ItersPerEpoch, progress.GlobalIteration, progress.MaxIterations, progress.Loss,
                    progress.LearningRate, progress.ClipsPerSecond, progress.Eta, DateTimeOffset.UtcNow)));
                break;
            case EpochCompleted epoch:
                post(new EpochReported(new EpochRecord(epoch.Epoch, epoch.MeanLoss, epoch.LearningRate, epoch.Duration,
                    new Dictionary<string, double>())));
                break;
            case ValidationCompleted validation:
                post(new ValidationReported(validation.Epoch, new Dictionary<string, double>(validation.Metrics)));
                break;
            case CheckpointSaved saved when Stored(saved.Path) is { } info:
                var checkpoint = new CheckpointRef(info.Key, info.Uri, info.Sha256, info.Bytes, saved.Epoch, saved.Iteration, saved.IsBest,
                    saved.ItersPerEpoch);
                onStored?.Invoke(checkpoint);
                post(new CheckpointReported(checkpoint));
                break;
            case TrainingMessage message:
                post(new LogReported(DateTimeOffset.UtcNow, message.Text));
                break;
        }
    }

    private ArtifactInfo? Stored(string path)
    {
        if (keyOf is null) return null;
        lock (uploaded) return uploaded.GetValueOrDefault(keyOf(path));
    }
}
