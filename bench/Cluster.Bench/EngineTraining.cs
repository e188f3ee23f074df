using Cluster.Training.Engine;
using Cluster.Training.Hooks;
using Cluster.Training.Models;
using Cluster.Training.Optim;

namespace Cluster.Bench;

/// <summary>The real <see cref="TrainingRunner"/> as a benchmark drives it: CPU, a fixed seed, the logger hook, no
/// checkpoints and no validation.</summary>
public static class EngineTraining
{
    public static readonly OptimWrapperConfig Sgd = new()
    {
        Optimizer = new SgdConfig { Lr = 0.01, Momentum = 0.9, WeightDecay = 1e-4 },
    };

    public static TrainingResult Run(Recognizer model, TrainBatchSource data, OptimWrapperConfig optimWrapper,
        int epochs, int loggerInterval, string workDir, IProgress<TrainingEvent>? progress = null) =>
        new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model,
            TrainData = data,
            TrainCfg = new TrainLoopConfig { MaxEpochs = epochs },
            OptimWrapper = optimWrapper,
            DefaultHooks = new DefaultHooksConfig
            {
                Logger = new LoggerHookConfig { Interval = loggerInterval, IgnoreLast = false },
                Checkpoint = null,
            },
            Randomness = new RandomnessConfig { Seed = 0 },
            Device = "cpu",
            WorkDir = workDir,
            Progress = progress,
        }).Run();

    /// <summary>One epoch over replayed batches; the step time is then in <paramref name="batches"/>.</summary>
    public static void RunReplay(Recognizer model, ReplayedBatches batches, OptimWrapperConfig optimWrapper,
        int loggerInterval, string workDir) =>
        Run(model, new TrainBatchSource((_, _) => batches.Epoch(), batches.StepsPerEpoch, batches.BatchSize),
            optimWrapper, epochs: 1, loggerInterval, workDir);
}
