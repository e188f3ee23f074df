using Cluster.Training.Engine;
using Cluster.Training.Evaluation;
using Cluster.Training.Hooks;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

/// <summary>Small runs: 12 samples of [1 view, 6 features], 3 classes, batches of 4 (3 iterations per epoch).</summary>
internal static class RunnerFixture
{
    public const int Features = 6;
    public const int Classes = 3;

    public static InMemoryBatches SmallDataSet((int Epoch, int Batch)? poisoned = null) =>
        new(12, 1, Features, Classes, 4, seed: 7) { PoisonedBatch = poisoned };

    public static TinyRecognizer Model(long seed)
    {
        manual_seed(seed);
        return new TinyRecognizer(Features, Classes);
    }

    public static TrainingRunnerOptions Options(TinyRecognizer model, InMemoryBatches data, int maxEpochs,
        EventLog log, InMemoryCheckpointWriter? writer = null) => new()
    {
        Model = model,
        TrainData = data.AsTrainSource(),
        ValData = data.InOrder,
        TrainCfg = new TrainLoopConfig { MaxEpochs = maxEpochs },
        OptimWrapper = new OptimWrapperConfig
        {
            Optimizer = new SgdConfig { Lr = 0.1, Momentum = 0.9, WeightDecay = 1e-4 },
        },
        ParamScheduler = [new MultiStepLRConfig { Milestones = [2], Gamma = 0.1 }],
        ValEvaluator = [new AccMetricConfig { MetricList = ["top_k_accuracy"] }],
        DefaultHooks = new DefaultHooksConfig
        {
            Logger = new LoggerHookConfig { Interval = 1 },
            Checkpoint = new CheckpointHookConfig { Interval = 1 },
        },
        Randomness = new RandomnessConfig { Seed = 42 },
        Device = "cpu",
        WorkDir = "work",
        CheckpointWriter = writer,
        Progress = log,
    };

    public static double[] Losses(EventLog log) => log.OfType<IterationProgress>().Select(e => e.Loss).ToArray();
}
