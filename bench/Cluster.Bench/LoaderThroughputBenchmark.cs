using System.Diagnostics;
using Cluster.Training.Configs;
using Cluster.Training.Data;
using Cluster.Training.Data.Loading;
using Cluster.Training.Engine;
using Cluster.Training.Models;
using Cluster.Training.Models.Recognizers;
using Cluster.Training.Optim;

namespace Cluster.Bench;

/// <summary>
/// Benchmark 2, on the demo config (tsn_tiny_synth) over a freshly synthesised video set: (a) the real DataLoader
/// alone, (b) the engine training on batches already in memory, (c) the engine training with the real loader, where the
/// loop's own timing tells how long it waited for data; one epoch of each per round, rotated.
/// </summary>
public static class LoaderThroughputBenchmark
{
    public const string Name = "loader vs training";
    private const int TrainingWarmupSteps = 2;
    private const int LoggerInterval = 5;

    /// <param name="Repeats">Rounds of (loader epoch, in-memory training epoch, real training epoch).</param>
    public sealed record Settings(int VideosPerClass, int Repeats);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        var config = DemoDataset.Prepare(Path.Combine(workDir, "synth"), settings.VideosPerClass);
        var preprocessor = config.Get("model.data_preprocessor") as IReadOnlyDictionary<string, object?>;
        var loaderConfig = ConfigBinder.Bind<DataLoaderConfig>(config, "train_dataloader");
        using var loader = DataLoaderFactory.Build(loaderConfig, seed: 0, preprocessor);
        var optimWrapper = ConfigBinder.Bind<OptimWrapperConfig>(config, "optim_wrapper");
        using var model = ModelBuilder.Build(ConfigBinder.Bind<RecognizerConfig>(config, "model"), loader: null);

        var stored = loader.ReadEpoch(0).ToList();
        try
        {
            var replay = new ReplayedBatches(stored, TrainingWarmupSteps, stored.Count);
            var realData = new TrainBatchSource(loader.ReadEpoch, loader.BatchesPerEpoch, loader.BatchSize);
            var dataWait = new Samples();
            var firstBatchWait = new Samples();
            int loaderEpoch = 1;
            var samples = Alternation.Run(settings.Repeats,
                () => LoaderClipsPerSecond(loader, loaderEpoch++),
                () =>
                {
                    EngineTraining.RunReplay(model, replay, optimWrapper, LoggerInterval, workDir);
                    return replay.ClipsPerSecond;
                },
                () =>
                {
                    var recorder = new DataWaitRecorder();
                    EngineTraining.Run(model, realData, optimWrapper, epochs: 1, loggerInterval: 1, workDir, recorder);
                    dataWait.Add(recorder.DataWaitFraction);
                    firstBatchWait.Add(recorder.MeanFirstBatchWaitSeconds * 1000);
                    return recorder.ClipsPerSecond;
                });
            var (loading, training, realTraining) = (samples[0], samples[1], samples[2]);

            return
            [
                BenchRow.Throughput(Name, $"clips/s, loader alone ({loaderConfig.NumWorkers} workers)", loading, "clips/s",
                    training, "training alone", minRatio: 1),
                BenchRow.Throughput(Name, "clips/s, training with the real loader", realTraining, "clips/s",
                    training, "training alone", minRatio: null),
                BenchRow.AtMost(Name, "data-wait fraction, training with the real loader", dataWait, "of step time",
                    max: 0.05),
                BenchRow.Info(Name, "first-batch wait per epoch, training with the real loader", firstBatchWait, "ms"),
            ];
        }
        finally
        {
            foreach (var batch in stored)
                batch.Dispose();
        }
    }

    private static double LoaderClipsPerSecond(DataLoader loader, int epoch)
    {
        long clips = 0;
        var clock = Stopwatch.StartNew();
        foreach (var batch in loader.ReadEpoch(epoch))
        {
            using (batch)
                clips += batch.Count;
        }
        return clips / clock.Elapsed.TotalSeconds;
    }
}
