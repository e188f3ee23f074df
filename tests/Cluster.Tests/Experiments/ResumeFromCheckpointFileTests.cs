using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Experiments;

/// <summary>
/// MMEngine's <c>resume: true</c> through real .pth files in a work_dir: a run cancelled after epoch 2 and resumed from
/// its last_checkpoint repeats the uninterrupted run's epoch-3 losses exactly (model, optimizer momentum, scheduler
/// milestone, RNG for dropout and augmentation all restored).
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class ResumeFromCheckpointFileTests : IDisposable
{
    private readonly DemoDataset data = DemoDataset.Create("resume-data-", classes: 4, videosPerClass: 5, seed: 3, frames: 8);
    private readonly string workRoot = Directory.CreateTempSubdirectory("resume-work-").FullName;

    public void Dispose()
    {
        data.Dispose();
        Directory.Delete(workRoot, recursive: true);
    }

    [Fact]
    public void ResumedRunRepeatsTheUninterruptedLosses()
    {
        var overrides = data.Overrides();
        overrides.AddRange([
            "train_cfg.max_epochs=3", "randomness.seed=7", "default_hooks.logger.interval=1",
            "param_scheduler.0.end=3", "param_scheduler.0.milestones=[2]", "train_dataloader.num_workers=2",
            "val_dataloader=null", "test_dataloader=null", "default_hooks.checkpoint.save_best=null",
        ]);
        var config = DemoDataset.Config("demo/tsn_tiny_synth.yaml");

        var uninterrupted = Losses(Run(config, overrides, "straight"));

        using var cancel = new CancellationTokenSource();
        var interrupted = Run(config, overrides, "interrupted", cancel,
            e => { if (e is CheckpointSaved { Epoch: 2 }) cancel.Cancel(); });
        Assert.Equal(TrainingStatus.Cancelled, Assert.IsType<TrainingFinished>(interrupted[^1]).Result.Status);
        Assert.EndsWith("epoch_2.pth", new WorkDirectory(Path.Combine(workRoot, "interrupted")).LastCheckpoint());

        var resumed = Run(config, [.. overrides, "resume=true"], "interrupted");

        var itersPerEpoch = uninterrupted.Count / 3;
        Assert.Equal(uninterrupted.Skip(2 * itersPerEpoch), Losses(resumed));
        Assert.Equal(3, Assert.IsType<TrainingFinished>(resumed[^1]).Result.EpochsRun);
    }

    private List<TrainingEvent> Run(string config, List<string> overrides, string workDir,
        CancellationTokenSource? cancel = null, Action<TrainingEvent>? onEvent = null)
    {
        var events = new List<TrainingEvent>();
        var job = TrainingJob.Prepare(ConfigLoader.Load(config, overrides), Path.Combine(workRoot, workDir), "cpu");
        job.Run(new SyncProgress(e => { events.Add(e); onEvent?.Invoke(e); }), cancel?.Token ?? default);
        return events;
    }

    private static List<double> Losses(List<TrainingEvent> events) =>
        events.OfType<IterationProgress>().Select(p => p.Loss).ToList();
}
