using Cluster.Training.Engine;
using Cluster.Training.Hooks;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;
using static Cluster.Tests.Engine.RunnerFixture;

namespace Cluster.Tests.Engine;

/// <summary>
/// A checkpoint written with one number of iterations per epoch (a group of N workers) resumed with another (a group of
/// M): 12 samples in batches of 4 (3 iterations per epoch) resumed in batches of 2 (6 per epoch), and back.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public class ResumeWithAnotherWorldSizeTests
{
    private static TrainingRunnerOptions Configure(TinyRecognizer model, InMemoryBatches data, EventLog log,
        InMemoryCheckpointWriter writer, CheckpointHookConfig checkpoint, string? resumeFrom = null) => new()
    {
        Model = model, TrainData = data.AsTrainSource(), TrainCfg = new TrainLoopConfig { MaxEpochs = 3 },
        OptimWrapper = new OptimWrapperConfig { Optimizer = new SgdConfig { Lr = 0.1, Momentum = 0.9 } },
        ParamScheduler =
        [
            new LinearLRConfig { StartFactor = 0.5, End = 5, ByEpoch = false }, // with 3 per epoch it ends in epoch 2
            new MultiStepLRConfig { Milestones = [2], Gamma = 0.1 },
        ],
        DefaultHooks = new DefaultHooksConfig { Logger = new LoggerHookConfig { Interval = 1 }, Checkpoint = checkpoint },
        Randomness = new RandomnessConfig { Seed = 3 }, Device = "cpu", WorkDir = "work",
        CheckpointWriter = writer, Progress = log, ResumeFrom = resumeFrom,
    };

    private static InMemoryBatches Data(int batchSize) => new(12, 1, Features, Classes, batchSize, seed: 7);

    private static double[] UninterruptedLrs(int batchSize)
    {
        using var writer = new InMemoryCheckpointWriter();
        using var data = Data(batchSize);
        var log = new EventLog();
        using (var model = Model(seed: 1))
            new TrainingRunner(Configure(model, data, log, writer, new CheckpointHookConfig { Interval = 1 })).Run();
        return log.OfType<IterationProgress>().Select(p => p.LearningRate).ToArray();
    }

    [Theory]
    [InlineData(4, 2)] // 3 → 6 iterations per epoch (fewer workers)
    [InlineData(2, 4)] // 6 → 3 (more workers)
    public void A_checkpoint_at_an_epoch_end_starts_the_next_epoch_cleanly(int savedBatch, int resumedBatch)
    {
        using var writer = new InMemoryCheckpointWriter();
        using var cancellation = new CancellationTokenSource();
        using var saved = Data(savedBatch);
        var firstLog = new EventLog(e => { if (e is CheckpointSaved { Epoch: 1 }) cancellation.Cancel(); });
        using (var model = Model(seed: 1))
            new TrainingRunner(Configure(model, saved, firstLog, writer, new CheckpointHookConfig { Interval = 1 })).Run(cancellation.Token);
        int savedIters = saved.BatchesPerEpoch;
        Assert.Equal(savedIters, firstLog.OfType<CheckpointSaved>().Single(c => c.Epoch == 1).ItersPerEpoch);

        using var resumed = Data(resumedBatch);
        int iters = resumed.BatchesPerEpoch;
        var log = new EventLog();
        TrainingResult result;
        using (var model = Model(seed: 2))
            result = new TrainingRunner(Configure(model, resumed, log, writer, new CheckpointHookConfig { Interval = 1 }, "work/epoch_1.pth")).Run();

        Assert.Equal((TrainingStatus.Completed, 3, 3L * iters), (result.Status, result.EpochsRun, result.IterationsRun));
        var progress = log.OfType<IterationProgress>().ToList();
        Assert.Equal(2 * iters, progress.Count);
        Assert.Equal((2, 1, (long)iters + 1), (progress[0].Epoch, progress[0].Iteration, progress[0].GlobalIteration));
        Assert.All(progress, p => Assert.Equal(iters, p.ItersPerEpoch));
        Assert.Equal([2, 3], log.OfType<EpochCompleted>().Select(e => e.Epoch));
        Assert.Contains(log.OfType<TrainingMessage>(), m => m.Text ==
            $"resume: iterations per epoch changed from {savedIters} to {iters} (another world size): epoch 2 starts cleanly; " +
            $"iteration {savedIters} is recounted as {iters}");
        // The schedule is the one an uninterrupted run with the new epoch length follows (warm-up, epoch milestone).
        Assert.Equal(UninterruptedLrs(resumedBatch).Skip(iters), progress.Select(p => p.LearningRate));
        Assert.Equal(3L * iters, log.OfType<CheckpointSaved>().Last().Iteration);
    }

    [Fact]
    public void A_mid_epoch_checkpoint_restarts_its_epoch_in_the_new_iterations()
    {
        using var writer = new InMemoryCheckpointWriter();
        using var cancellation = new CancellationTokenSource();
        using var saved = Data(4); // 3 per epoch: iteration 4 is 1 into epoch 2
        var firstLog = new EventLog(e => { if (e is CheckpointSaved { Iteration: 4 }) cancellation.Cancel(); });
        var everyFour = new CheckpointHookConfig { Interval = 4, ByEpoch = false };
        using (var model = Model(seed: 1))
            new TrainingRunner(Configure(model, saved, firstLog, writer, everyFour)).Run(cancellation.Token);

        using var resumed = Data(2); // 6 per epoch
        var log = new EventLog();
        TrainingResult result;
        using (var model = Model(seed: 2))
            result = new TrainingRunner(Configure(model, resumed, log, writer, everyFour, "work/iter_4.pth")).Run();

        Assert.Equal((TrainingStatus.Completed, 3, 18L), (result.Status, result.EpochsRun, result.IterationsRun));
        var progress = log.OfType<IterationProgress>().ToList();
        Assert.Equal(12, progress.Count);
        Assert.Equal((2, 1, 7L), (progress[0].Epoch, progress[0].Iteration, progress[0].GlobalIteration));
        Assert.Equal(UninterruptedLrs(2).Skip(6), progress.Select(p => p.LearningRate));
        Assert.Contains(log.OfType<TrainingMessage>(), m => m.Text ==
            "resume: the checkpoint is 1 of 3 iterations into epoch 2, which now has 6 iterations (another world size): " +
            "epoch 2 restarts from its first batch at iteration 6");
    }
}
