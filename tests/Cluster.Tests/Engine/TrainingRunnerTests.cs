using Cluster.Training.Engine;
using Cluster.Training.Hooks;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;
using static Cluster.Tests.Engine.RunnerFixture;

namespace Cluster.Tests.Engine;

[Collection(GlobalTorchRandomCollection.Name)]
public class TrainingRunnerTests
{
    [Fact]
    public void ResumedRunRepeatsTheUninterruptedLossesBitForBit()
    {
        using var data = SmallDataSet();
        var uninterruptedLog = new EventLog();
        using (var model = Model(seed: 1))
        {
            new TrainingRunner(Options(model, data, maxEpochs: 4, uninterruptedLog)).Run();
        }

        // Same start, stopped after the checkpoint of epoch 1; the MultiStepLR milestone (epoch 2) lies after it.
        using var writer = new InMemoryCheckpointWriter();
        using var cancellation = new CancellationTokenSource();
        var firstLog = new EventLog(e => { if (e is CheckpointSaved { Epoch: 1 }) cancellation.Cancel(); });
        using (var model = Model(seed: 1))
        {
            var interrupted = new TrainingRunner(Options(model, data, 4, firstLog, writer)).Run(cancellation.Token);
            Assert.Equal(TrainingStatus.Cancelled, interrupted.Status);
        }

        // A differently initialised model with a different seed: everything must come from the checkpoint.
        var resumedLog = new EventLog();
        using (var model = Model(seed: 99))
        {
            var options = Options(model, data, 4, resumedLog, writer);
            var resumed = new TrainingRunner(new TrainingRunnerOptions
            {
                Model = options.Model, TrainData = options.TrainData, ValData = options.ValData,
                TrainCfg = options.TrainCfg, OptimWrapper = options.OptimWrapper,
                ParamScheduler = options.ParamScheduler, ValEvaluator = options.ValEvaluator,
                DefaultHooks = options.DefaultHooks, Device = "cpu", WorkDir = "work", CheckpointWriter = writer,
                Progress = resumedLog, Randomness = new RandomnessConfig { Seed = 5 },
                ResumeFrom = "work/epoch_1.pth",
            }).Run();
            Assert.Equal(TrainingStatus.Completed, resumed.Status);
            Assert.Equal(4, resumed.EpochsRun);
        }

        var expected = Losses(uninterruptedLog).Skip(3).ToArray();
        Assert.Equal(9, expected.Length);
        Assert.Equal(expected, Losses(resumedLog));
        Assert.Equal(uninterruptedLog.OfType<IterationProgress>().Skip(3).Select(e => e.LearningRate),
            resumedLog.OfType<IterationProgress>().Select(e => e.LearningRate));
        Assert.Equal(0.01, resumedLog.OfType<IterationProgress>().Last().LearningRate, 12);
    }

    [Fact]
    public void ResumeFromAnIterationCheckpointMidEpochContinuesExactlyWithAdamW()
    {
        using var data = SmallDataSet();
        TrainingRunnerOptions Configure(TinyRecognizer model, EventLog log, InMemoryCheckpointWriter? writer,
            string? resumeFrom = null) => new()
        {
            Model = model, TrainData = data.AsTrainSource(), TrainCfg = new TrainLoopConfig { MaxEpochs = 3 },
            OptimWrapper = new OptimWrapperConfig
            {
                Optimizer = new AdamWConfig { Lr = 0.01 },
                ClipGrad = new ClipGradConfig { MaxNorm = 1 },
                AccumulativeCounts = 2,
            },
            ParamScheduler = [new LinearLRConfig { StartFactor = 0.1, End = 6, ByEpoch = false }],
            DefaultHooks = new DefaultHooksConfig
            {
                Logger = new LoggerHookConfig { Interval = 1 },
                Checkpoint = new CheckpointHookConfig { Interval = 4, ByEpoch = false },
            },
            Randomness = new RandomnessConfig { Seed = 3 }, Device = "cpu", WorkDir = "work",
            CheckpointWriter = writer, Progress = log, ResumeFrom = resumeFrom,
        };

        var uninterruptedLog = new EventLog();
        using (var model = Model(seed: 1))
        {
            new TrainingRunner(Configure(model, uninterruptedLog, null)).Run();
        }
        using var writer = new InMemoryCheckpointWriter();
        using var cancellation = new CancellationTokenSource();
        var firstLog = new EventLog(e => { if (e is CheckpointSaved { Iteration: 4 }) cancellation.Cancel(); });
        using (var model = Model(seed: 1))
        {
            new TrainingRunner(Configure(model, firstLog, writer)).Run(cancellation.Token);
        }
        var resumedLog = new EventLog();
        using (var model = Model(seed: 2))
        {
            new TrainingRunner(Configure(model, resumedLog, writer, "work/iter_4.pth")).Run();
        }

        Assert.Equal(Losses(uninterruptedLog).Skip(4), Losses(resumedLog));
        Assert.Equal((2, 2), (resumedLog.OfType<IterationProgress>().First().Epoch,
            resumedLog.OfType<IterationProgress>().First().Iteration));
    }

    [Fact]
    public void NonFiniteLossStopsTheRunNamingEpochAndIteration()
    {
        using var data = SmallDataSet(poisoned: (1, 1));
        using var model = Model(seed: 1);
        var error = Assert.Throws<NonFiniteLossException>(() => new TrainingRunner(Options(model, data, 3, new EventLog())).Run());
        Assert.Contains("epoch 2, iteration 2/3", error.Message);
    }

    [Fact]
    public void CancellationStopsBetweenIterations()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        using var cancellation = new CancellationTokenSource();
        var log = new EventLog(e => { if (e is IterationProgress) cancellation.Cancel(); });
        var result = new TrainingRunner(Options(model, data, 3, log)).Run(cancellation.Token);
        Assert.Equal(TrainingStatus.Cancelled, result.Status);
        Assert.Equal(1, result.IterationsRun);
        Assert.IsType<TrainingFinished>(log.Events[^1]);
    }

    [Fact]
    public void EarlyStoppingEndsTheRunWhenTheMetricPlateaus()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        var log = new EventLog();
        var options = Options(model, data, 10, log);
        var result = new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model, TrainData = options.TrainData, ValData = options.ValData, TrainCfg = options.TrainCfg,
            // lr 0: the weights never change, so the accuracy never improves after the first validation.
            OptimWrapper = new OptimWrapperConfig { Optimizer = new SgdConfig { Lr = 0 } },
            ValEvaluator = options.ValEvaluator, DefaultHooks = options.DefaultHooks, Device = "cpu", WorkDir = "work",
            CustomHooks = [new EarlyStoppingHookConfig { Monitor = "acc/top1", Patience = 2 }],
            Progress = log,
        }).Run();
        Assert.Equal(TrainingStatus.EarlyStopped, result.Status);
        Assert.Equal(3, result.EpochsRun);
        Assert.Equal(3, log.OfType<ValidationCompleted>().Count());
        Assert.Contains("did not improve", result.StopReason);
    }

    [Fact]
    public void ProgressReportsIterationsEpochsValidationAndCheckpoints()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        using var writer = new InMemoryCheckpointWriter();
        var log = new EventLog();
        var result = new TrainingRunner(Options(model, data, 2, log, writer)).Run();

        var iterations = log.OfType<IterationProgress>().ToList();
        Assert.Equal(6, iterations.Count);
        Assert.Equal((2, 3, 6L), (iterations[^1].Epoch, iterations[^1].Iteration, iterations[^1].GlobalIteration));
        Assert.All(iterations, e => Assert.True(e.ClipsPerSecond > 0 && e.Loss > 0));
        Assert.Equal([1, 2], log.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Equal(["work/epoch_1.pth", "work/epoch_2.pth"], log.OfType<CheckpointSaved>().Select(e => e.Path));
        Assert.Equal(2, log.OfType<ValidationCompleted>().Count());
        Assert.True(result.Metrics.ContainsKey("acc/top1"));
        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.IsType<TrainingFinished>(log.Events[^1]);
    }

    [Fact]
    public void AutoScaleLrScalesBeforeTheSchedulersAndSaysSo()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        var log = new EventLog();
        var options = Options(model, data, 1, log);
        new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model, TrainData = options.TrainData, TrainCfg = options.TrainCfg,
            OptimWrapper = options.OptimWrapper, ParamScheduler = options.ParamScheduler,
            DefaultHooks = options.DefaultHooks, Device = "cpu", WorkDir = "work", Progress = log,
            AutoScaleLr = new AutoScaleLrConfig { Enable = true, BaseBatchSize = 16 }, WorldSize = 2,
        }).Run();
        // 2 workers × 4 samples / 16 = 0.5 → lr 0.05.
        Assert.All(log.OfType<IterationProgress>(), e => Assert.Equal(0.05, e.LearningRate, 12));
        Assert.Contains(log.OfType<TrainingMessage>(), m => m.Text.StartsWith("auto_scale_lr"));
    }

    [Fact]
    public void LoadFromLoadsWeightsOnlyThroughTheSuppliedLoader()
    {
        using var data = SmallDataSet();
        using var model = Model(seed: 1);
        string? loaded = null;
        var options = Options(model, data, 1, new EventLog());
        new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model, TrainData = options.TrainData, TrainCfg = options.TrainCfg,
            OptimWrapper = options.OptimWrapper, Device = "cpu", WorkDir = "work",
            LoadFrom = "pretrained.pth", LoadWeights = (_, path) => loaded = path,
        }).Run();
        Assert.Equal("pretrained.pth", loaded);
    }
}
