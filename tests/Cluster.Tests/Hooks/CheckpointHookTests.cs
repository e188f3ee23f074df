using Cluster.Training.Hooks;

namespace Cluster.Tests.Hooks;

public class CheckpointHookTests
{
    private static Dictionary<string, double> Metrics(double top1) => new() { ["acc/top1"] = top1, ["acc/top5"] = 1.0 };

    [Fact]
    public void KeepsTheNewestCheckpointsAndTheBestByTheFirstMetric()
    {
        var hook = new CheckpointHookConfig { Interval = 1, MaxKeepCkpts = 2, SaveBest = "auto" }.Create();
        var run = new RecordingContext(maxEpochs: 4);
        hook.BeforeRun(run.Context);
        foreach (double top1 in new[] { 0.5, 0.7, 0.6, 0.8 })
        {
            run.Epoch(hook, Metrics(top1));
        }

        Assert.Equal(
            [("work/epoch_1.pth", false), ("work/best_acc_top1_epoch_1.pth", true),
             ("work/epoch_2.pth", false), ("work/best_acc_top1_epoch_2.pth", true),
             ("work/epoch_3.pth", false),
             ("work/epoch_4.pth", false), ("work/best_acc_top1_epoch_4.pth", true)],
            run.Saved);
        Assert.Equal(["work/best_acc_top1_epoch_1.pth", "work/epoch_1.pth", "work/epoch_2.pth", "work/best_acc_top1_epoch_2.pth"],
            run.Deleted);
        Assert.Equal(0.8, run.Context.RuntimeInfo["best_score"]);
        Assert.Equal("work/best_acc_top1_epoch_4.pth", run.Context.RuntimeInfo["best_ckpt"]);
        Assert.Equal(new List<object?> { 3L, 4L }, run.Context.RuntimeInfo["keep_ckpt_ids"]);
    }

    [Fact]
    public void LossKeyIsMinimisedAndIntervalPlusSaveLastDecideRegularCheckpoints()
    {
        var hook = new CheckpointHookConfig { Interval = 2, SaveBest = "val/loss", OutDir = "out" }.Create();
        var run = new RecordingContext(maxEpochs: 3);
        hook.BeforeRun(run.Context);
        foreach (double loss in new[] { 1.0, 0.5, 0.7 })
        {
            run.Epoch(hook, new Dictionary<string, double> { ["val/loss"] = loss });
        }
        Assert.Equal(
            [("out/best_val_loss_epoch_1.pth", true), ("out/epoch_2.pth", false), ("out/best_val_loss_epoch_2.pth", true),
             ("out/epoch_3.pth", false)],
            run.Saved);
    }

    [Fact]
    public void IterationBasedCheckpointsUseIterNames()
    {
        var hook = new CheckpointHookConfig { Interval = 3, ByEpoch = false, SaveLast = false }.Create();
        var run = new RecordingContext(maxEpochs: 3, itersPerEpoch: 2);
        hook.BeforeRun(run.Context);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            run.Epoch(hook);
        }
        Assert.Equal([("work/iter_3.pth", false), ("work/iter_6.pth", false)], run.Saved);
    }

    [Fact]
    public void MissingBestMetricIsNamed()
    {
        var hook = new CheckpointHookConfig { SaveBest = "acc/top3" }.Create();
        var run = new RecordingContext(maxEpochs: 2);
        hook.BeforeRun(run.Context);
        var error = Assert.Throws<ArgumentException>(() => run.Epoch(hook, Metrics(0.5)));
        Assert.Contains("acc/top3", error.Message);
    }
}
