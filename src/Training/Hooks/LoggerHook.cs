using System.Diagnostics;
using Cluster.Training.Engine;

namespace Cluster.Training.Hooks;

/// <summary>
/// MMEngine's LoggerHook as progress events: an <see cref="IterationProgress"/> every <c>interval</c> iterations of
/// an epoch (means over the window; clips/s counts data loading and compute), an <see cref="EpochCompleted"/> after
/// each epoch. ETA = mean time per iteration since this run (or resume) started × iterations left.
/// </summary>
public sealed class LoggerHook(LoggerHookConfig config) : ITrainingHook
{
    private readonly Stopwatch runClock = new();
    private readonly Stopwatch epochClock = new();
    private long itersAtStart;
    private Window window;
    private double epochLossSum;
    private int epochIters;
    private double lastLr;

    public void BeforeRun(TrainingContext context)
    {
        if (config.Interval <= 0)
        {
            throw new ArgumentException($"logger.interval must be positive, got {config.Interval}");
        }
        itersAtStart = context.CompletedIters;
        runClock.Restart();
        epochClock.Restart();
    }

    public void AfterTrainIter(TrainingContext context)
    {
        var stats = context.LastIteration;
        window.Add(stats);
        lastLr = stats.LearningRate;
        epochLossSum += stats.Loss;
        epochIters++;
        int iterInEpoch = (int)(context.CompletedIters - (long)context.CompletedEpochs * context.ItersPerEpoch);
        bool endOfEpoch = iterInEpoch == context.ItersPerEpoch;
        if (iterInEpoch % config.Interval == 0 || (endOfEpoch && !config.IgnoreLast))
        {
            Report(context, iterInEpoch, stats);
        }
        if (endOfEpoch)
        {
            window = default;
        }
    }

    public void AfterTrainEpoch(TrainingContext context)
    {
        context.Emit(new EpochCompleted(context.CompletedEpochs, context.MaxEpochs,
            epochIters == 0 ? double.NaN : epochLossSum / epochIters, lastLr, epochClock.Elapsed));
        epochLossSum = 0;
        epochIters = 0;
        epochClock.Restart();
    }

    private void Report(TrainingContext context, int iterInEpoch, IterationStats last)
    {
        long doneThisRun = context.CompletedIters - itersAtStart;
        double secondsPerIter = runClock.Elapsed.TotalSeconds / Math.Max(1, doneThisRun);
        var eta = TimeSpan.FromSeconds(secondsPerIter * (context.MaxIters - context.CompletedIters));
        double totalSeconds = window.DataSeconds + window.ComputeSeconds;
        context.Emit(new IterationProgress(context.CompletedEpochs + 1, context.MaxEpochs, iterInEpoch,
            context.ItersPerEpoch, context.CompletedIters, context.MaxIters, window.LossSum / window.Count,
            last.LearningRate, last.GradNorm, totalSeconds > 0 ? window.Samples / totalSeconds : 0,
            window.DataSeconds / window.Count, totalSeconds / window.Count, eta));
        window = default;
    }

    private struct Window
    {
        public int Count;
        public double LossSum;
        public long Samples;
        public double DataSeconds;
        public double ComputeSeconds;

        public void Add(IterationStats stats)
        {
            Count++;
            LossSum += stats.Loss;
            Samples += stats.BatchSize;
            DataSeconds += stats.DataSeconds;
            ComputeSeconds += stats.ComputeSeconds;
        }
    }
}
