using Cluster.Training.Engine;

namespace Cluster.Bench;

/// <summary>
/// Sums the loop's own per-iteration timing (LoggerHook at interval 1; reports arrive synchronously) over one run.
/// The first iteration of each epoch is kept apart: it waits for the loader's threads to start and load a first batch,
/// a fixed cost per epoch that a 10-batch epoch would otherwise weigh far above its share in a real one.
/// </summary>
public sealed class DataWaitRecorder : IProgress<TrainingEvent>
{
    private double dataSeconds, totalSeconds, clips;
    private readonly List<double> firstBatchWaits = [];

    public void Report(TrainingEvent value)
    {
        if (value is not IterationProgress { } progress)
            return;
        if (progress.Iteration == 1)
        {
            firstBatchWaits.Add(progress.DataTimeSeconds);
            return;
        }
        dataSeconds += progress.DataTimeSeconds;
        totalSeconds += progress.IterationTimeSeconds;
        clips += progress.ClipsPerSecond * progress.IterationTimeSeconds;
    }

    /// <summary>Share of the step time (after each epoch's first) spent waiting for the next batch.</summary>
    public double DataWaitFraction => dataSeconds / totalSeconds;

    /// <summary>Clips per second over the steps after each epoch's first, data waits included.</summary>
    public double ClipsPerSecond => clips / totalSeconds;

    public double MeanFirstBatchWaitSeconds => firstBatchWaits.Average();
}
