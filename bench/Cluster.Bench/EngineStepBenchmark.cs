using Cluster.Training.Data;
using Cluster.Training.Models;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Recognizers;
using Cluster.Training.Optim;
using static TorchSharp.torch;

namespace Cluster.Bench;

/// <summary>
/// Benchmark 1: time per training step of the engine (<see cref="Training.Engine.TrainingRunner"/> with its hooks)
/// against <see cref="HandWrittenTrainLoop"/>, on identically built models and the same batch.
/// </summary>
public static class EngineStepBenchmark
{
    public const string Name = "engine step";
    private const int Classes = 8;
    private const int BatchSize = 8, Segments = 3, Size = 112;
    private const int LoggerInterval = 10;

    public sealed record Settings(int BaseChannels, int WarmupSteps, int MeasuredSteps, int Repeats);

    public static BenchRow Run(Settings settings, string workDir)
    {
        var sgd = (SgdConfig)EngineTraining.Sgd.Optimizer;
        using var engineModel = BuildModel(settings.BaseChannels);
        using var handModel = BuildModel(settings.BaseChannels);
        manual_seed(1);
        using var batch = new Batch(randn([BatchSize, Segments, 3, Size, Size]), randint(Classes, [BatchSize], dtype: int64),
            Enumerable.Range(0, BatchSize).ToArray());
        var replay = new ReplayedBatches([batch], settings.WarmupSteps, settings.MeasuredSteps);

        var samples = Alternation.Run(settings.Repeats,
            () =>
            {
                EngineTraining.RunReplay(engineModel, replay, EngineTraining.Sgd, LoggerInterval, workDir);
                return replay.MedianStepSeconds * 1000;
            },
            () =>
            {
                HandWrittenTrainLoop.RunEpoch(handModel, replay, sgd.Lr, sgd.Momentum, sgd.WeightDecay);
                return replay.MedianStepSeconds * 1000;
            });
        return BenchRow.Time(Name,
            $"ms/step, ResNet-18 base {settings.BaseChannels}, [{BatchSize},{Segments},3,{Size},{Size}]",
            samples[0], "ms", samples[1], "hand loop", minRatio: 0.95);
    }

    private static Recognizer BuildModel(int baseChannels)
    {
        manual_seed(0);
        return ModelBuilder.Build(new Recognizer2DConfig
        {
            Backbone = new ResNetConfig { Depth = 18, BaseChannels = baseChannels },
            ClsHead = new TSNHeadConfig { NumClasses = Classes, InChannels = baseChannels * 8 },
        }, loader: null);
    }
}
