using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Experiments;

namespace Cluster.Tests.Grains;

public class ExperimentLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);

    private static EpochRecord Epoch(int epoch, double loss) => new(epoch, loss, 0.01, TimeSpan.FromSeconds(3), new Dictionary<string, double>());

    private static CheckpointRef Checkpoint(int epoch, bool best = false) => new(
        best ? $"experiments/e/best_acc_top1_epoch_{epoch}.pth" : $"experiments/e/epoch_{epoch}.pth",
        $"file:///x/epoch_{epoch}.pth", "ab", 100, epoch, epoch * 10L, best);

    private static ExperimentRecord Running() => new()
    {
        Spec = new ExperimentSpec("demo", "{}"),
        State = ExperimentState.Running,
        Generation = 1,
    };

    private static void Apply(ExperimentRecord record, params WorkerEvent[] events)
    {
        foreach (var e in events) ExperimentLedger.Apply(record, e, Now, maxLogLines: 100);
    }

    private static ValidationReported Validation(int epoch, double top1) =>
        new(epoch, new Dictionary<string, double> { ["acc/top1"] = top1, ["acc/top5"] = 1.0 });

    [Fact]
    public void Validation_merges_into_its_epoch_and_the_best_is_the_highest_first_metric()
    {
        var record = Running();
        Apply(record, new EpochReported(Epoch(1, 2.0)), Validation(1, 0.5), new EpochReported(Epoch(2, 1.5)), Validation(2, 0.7),
            new EpochReported(Epoch(3, 1.2)), Validation(3, 0.6));

        Assert.Equal([1, 2, 3], record.History.Select(h => h.Epoch));
        Assert.Equal(0.7, record.History[1].Metrics["acc/top1"]);
        Assert.Equal(1.5, record.History[1].MeanLoss);
        Assert.Equal(new BestMetric("acc/top1", 0.7, 2), record.Best);
        Assert.Equal(0.6, record.Metrics["acc/top1"]);
    }

    [Fact]
    public void A_loss_metric_is_best_when_lowest()
    {
        var record = Running();
        Apply(record, new ValidationReported(1, new Dictionary<string, double> { ["val/loss"] = 0.9 }),
            new ValidationReported(2, new Dictionary<string, double> { ["val/loss"] = 0.4 }),
            new ValidationReported(3, new Dictionary<string, double> { ["val/loss"] = 0.6 }));

        Assert.Equal(new BestMetric("val/loss", 0.4, 2), record.Best);
    }

    [Fact]
    public void After_a_restart_rerun_epochs_replace_their_records_so_each_epoch_appears_once()
    {
        var record = Running();
        Apply(record, new EpochReported(Epoch(1, 2.0)), Validation(1, 0.5), new CheckpointReported(Checkpoint(1)),
            new EpochReported(Epoch(2, 1.5)), Validation(2, 0.9), new CheckpointReported(Checkpoint(2, best: true)),
            new EpochReported(Epoch(3, 1.0)));
        // The worker died during epoch 3, after its record but before its checkpoint: resume from epoch 1's.
        var resume = ExperimentLedger.ResumePoint(record);
        Assert.Equal(Checkpoint(1), resume);

        ExperimentLedger.RewindTo(record, resume);
        Assert.Equal([1], record.History.Select(h => h.Epoch));
        Assert.Equal([Checkpoint(1)], record.Checkpoints);
        Assert.Equal(new BestMetric("acc/top1", 0.5, 1), record.Best);
        Assert.Equal(0.5, record.Metrics["acc/top1"]);

        Apply(record, new EpochReported(Epoch(2, 1.4)), Validation(2, 0.8), new EpochReported(Epoch(3, 1.1)));
        Assert.Equal([1, 2, 3], record.History.Select(h => h.Epoch));
        Assert.Equal(1.4, record.History[1].MeanLoss);
        Assert.Equal(new BestMetric("acc/top1", 0.8, 2), record.Best);
    }

    [Fact]
    public void Without_a_checkpoint_a_restart_starts_over_and_forgets_everything()
    {
        var record = Running();
        Apply(record, new EpochReported(Epoch(1, 2.0)), Validation(1, 0.5));
        Assert.Null(ExperimentLedger.ResumePoint(record));

        ExperimentLedger.RewindTo(record, null);

        Assert.Empty(record.History);
        Assert.Null(record.Best);
        Assert.Empty(record.Metrics);
    }

    [Fact]
    public void The_resume_point_is_the_newest_regular_checkpoint_and_a_new_best_replaces_the_old_one()
    {
        var record = Running();
        Apply(record, new CheckpointReported(Checkpoint(1)), new CheckpointReported(Checkpoint(1, best: true)),
            new CheckpointReported(Checkpoint(2)), new CheckpointReported(Checkpoint(3, best: true)));

        Assert.Equal(Checkpoint(2), ExperimentLedger.ResumePoint(record));
        Assert.Equal([Checkpoint(1), Checkpoint(2), Checkpoint(3, best: true)], record.Checkpoints);
    }

    [Fact]
    public void A_deleted_checkpoint_is_no_longer_listed_or_resumed_from()
    {
        var record = Running();
        Apply(record, new CheckpointReported(Checkpoint(1)), new CheckpointReported(Checkpoint(2)));

        var effect = ExperimentLedger.Apply(record, new CheckpointDeleted(Checkpoint(2).Key), Now, 100);

        Assert.Equal(EventEffect.Persist, effect);
        Assert.Equal([Checkpoint(1)], record.Checkpoints);
        Assert.Equal(Checkpoint(1), ExperimentLedger.ResumePoint(record));
    }

    [Fact]
    public void Run_end_events_set_the_terminal_state_and_reason()
    {
        var completed = Running();
        var effect = ExperimentLedger.Apply(completed,
            new RunFinished("Completed", 2, new Dictionary<string, double> { ["acc/top1"] = 0.9 }, null), Now, 100);
        Assert.Equal((EventEffect.Ended, ExperimentState.Completed, Now), (effect, completed.State, completed.EndedAt));
        Assert.Equal(0.9, completed.Metrics["acc/top1"]);

        var cancelled = Running();
        ExperimentLedger.Apply(cancelled, new RunFinished("Cancelled", 1, new Dictionary<string, double>(), "stopped"), Now, 100);
        Assert.Equal((ExperimentState.Cancelled, "stopped"), (cancelled.State, cancelled.Reason));

        var failed = Running();
        ExperimentLedger.Apply(failed, new RunFailed("loss is NaN at iteration 7"), Now, 100);
        Assert.Equal((ExperimentState.Failed, "loss is NaN at iteration 7"), (failed.State, failed.Reason));
    }

    [Fact]
    public void Progress_and_log_lines_need_no_write_but_history_does()
    {
        var record = Running();
        Assert.Equal(EventEffect.None, ExperimentLedger.Apply(record, new LogReported(Now, "hello"), Now, 100));
        Assert.Equal(EventEffect.Persist, ExperimentLedger.Apply(record, new EpochReported(Epoch(1, 1)), Now, 100));
    }

    [Fact]
    public void The_log_keeps_its_newest_lines_with_absolute_line_numbers()
    {
        var record = Running();
        for (int i = 0; i < 10; i++) ExperimentLedger.AppendLog(record, $"line {i}", maxLines: 4);

        var page = ExperimentLedger.Logs(record, fromLine: 0, maxLines: 2);
        Assert.Equal(["line 6", "line 7"], page.Lines);
        Assert.Equal(8, page.NextLine);
        Assert.False(page.Ended);

        record.State = ExperimentState.Completed;
        var last = ExperimentLedger.Logs(record, page.NextLine, maxLines: 100);
        Assert.Equal(["line 8", "line 9"], last.Lines);
        Assert.Equal(10, last.NextLine);
        Assert.True(last.Ended);
    }
}
