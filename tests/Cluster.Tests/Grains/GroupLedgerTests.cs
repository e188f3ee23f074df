using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Experiments;

namespace Cluster.Tests.Grains;

/// <summary>A data-parallel group's reports: rank 0 speaks for the training, every rank's logs and failures count.</summary>
public class GroupLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 8, 0, 0, TimeSpan.Zero);
    private const string Rank0 = "s1/cpu:0", Rank1 = "s2/cpu:0", Outsider = "s3/cpu:0";

    private static ExperimentRecord Group() => new()
    {
        Spec = new ExperimentSpec("demo", "{}", Workers: 3, MinWorkers: 2),
        State = ExperimentState.Running,
        Generation = 2,
        Workers = [new WorkerAssignment(Rank1, "s2", "cpu:0", 1), new WorkerAssignment(Rank0, "s1", "cpu:0", 0)],
    };

    private static EventEffect From(ExperimentRecord record, string worker, WorkerEvent e) =>
        ExperimentLedger.ApplyFrom(record, worker, e, Now, maxLogLines: 100);

    private static EpochRecord Epoch(int epoch, double loss) => new(epoch, loss, 0.01, TimeSpan.FromSeconds(3), new Dictionary<string, double>());

    private static CheckpointRef Checkpoint(int epoch) => new($"experiments/e/epoch_{epoch}.pth", $"file:///x/epoch_{epoch}.pth", "ab", 100, epoch, epoch * 10L, false);

    [Fact]
    public void Training_events_count_only_from_rank_0()
    {
        var record = Group();
        var metrics = new Dictionary<string, double> { ["acc/top1"] = 0.5 };

        Assert.Equal(EventEffect.None, From(record, Rank1, new EpochReported(Epoch(1, 9.0))));
        Assert.Equal(EventEffect.None, From(record, Rank1, new ValidationReported(1, metrics)));
        Assert.Equal(EventEffect.None, From(record, Rank1, new CheckpointReported(Checkpoint(1))));
        Assert.Equal(EventEffect.None, From(record, Rank1, new RunFinished("Completed", 1, metrics, null)));
        Assert.Empty(record.History);
        Assert.Empty(record.Checkpoints);
        Assert.Equal(ExperimentState.Running, record.State);

        Assert.Equal(EventEffect.Persist, From(record, Rank0, new EpochReported(Epoch(1, 2.0))));
        Assert.Equal(EventEffect.Persist, From(record, Rank0, new CheckpointReported(Checkpoint(1))));
        Assert.Equal(EventEffect.None, From(record, Rank1, new CheckpointDeleted(Checkpoint(1).Key)));
        Assert.Equal([2.0], record.History.Select(h => h.MeanLoss));
        Assert.Equal([Checkpoint(1)], record.Checkpoints);
        Assert.Equal(EventEffect.Ended, From(record, Rank0, new RunFinished("Completed", 1, metrics, null)));
        Assert.Equal(ExperimentState.Completed, record.State);
    }

    [Fact]
    public void Logs_come_from_every_rank_tagged_with_it_and_a_worker_outside_the_group_is_ignored()
    {
        var record = Group();

        From(record, Rank0, new LogReported(Now, "epoch 1 done"));
        From(record, Rank1, new LogReported(Now, "epoch 1 done"));
        Assert.Equal(EventEffect.None, From(record, Outsider, new LogReported(Now, "from an old group")));
        Assert.Equal(EventEffect.None, From(record, Outsider, new RunFailed("boom")));

        Assert.Equal(["[rank 0] epoch 1 done", "[rank 1] epoch 1 done"], record.Log);
        Assert.Equal(ExperimentState.Running, record.State);
    }

    [Fact]
    public void A_single_worker_keeps_its_log_lines_and_failure_as_they_are()
    {
        var record = Group();
        record.Workers = [new WorkerAssignment(Rank0, "s1", "cpu:0", 0)];

        From(record, Rank0, new LogReported(Now, "hello"));
        Assert.Equal(EventEffect.Ended, From(record, Rank0, new RunFailed("loss is NaN")));

        Assert.Equal(["hello"], record.Log);
        Assert.Equal((ExperimentState.Failed, "loss is NaN"), (record.State, record.Reason));
    }

    [Fact]
    public void A_fatal_failure_of_any_rank_fails_the_run_naming_the_rank()
    {
        var record = Group();

        Assert.Equal(EventEffect.Ended, From(record, Rank1, new RunFailed("replicas diverged at epoch 2")));

        Assert.Equal(ExperimentState.Failed, record.State);
        Assert.Equal($"rank 1 ({Rank1}): replicas diverged at epoch 2", record.Reason);
        Assert.Equal(Now, record.EndedAt);
    }

    [Fact]
    public void A_retryable_failure_of_any_rank_asks_to_regroup_and_changes_nothing_itself()
    {
        var record = Group();

        Assert.Equal(EventEffect.Regroup, From(record, Rank1, new RunFailed("collective timed out waiting for rank 0", Retryable: true)));
        Assert.Equal(EventEffect.Regroup, From(record, Rank0, new RunFailed("peer gone", Retryable: true)));

        Assert.Equal(ExperimentState.Running, record.State);
        Assert.Null(record.Reason);
        Assert.Null(record.EndedAt);
    }

    [Fact]
    public void Re_forming_from_the_last_checkpoint_leaves_no_epoch_twice_and_none_lost()
    {
        var record = Group();
        From(record, Rank0, new EpochReported(Epoch(1, 2.0)));
        From(record, Rank0, new CheckpointReported(Checkpoint(1)));
        From(record, Rank0, new EpochReported(Epoch(2, 1.5)));
        From(record, Rank0, new CheckpointReported(Checkpoint(2)));
        From(record, Rank0, new EpochReported(Epoch(3, 1.2))); // its checkpoint never came: rank 1 died
        Assert.Equal(EventEffect.Regroup, From(record, Rank0, new RunFailed("peer gone", Retryable: true)));

        var resume = ExperimentLedger.ResumePoint(record);
        ExperimentLedger.RewindTo(record, resume);
        Assert.Equal(Checkpoint(2), resume);
        Assert.Equal([1, 2], record.History.Select(h => h.Epoch));

        // The new generation (one worker left) trains epoch 3 again, then 4.
        record.Workers = [new WorkerAssignment(Rank1, "s2", "cpu:0", 0)];
        From(record, Rank1, new EpochReported(Epoch(3, 1.1)));
        From(record, Rank1, new EpochReported(Epoch(4, 1.0)));
        Assert.Equal([1, 2, 3, 4], record.History.Select(h => h.Epoch));
        Assert.Equal(1.1, record.History[2].MeanLoss);
    }

    [Theory]
    [InlineData(1, 1, 0, "waiting for a free slot")]
    [InlineData(3, 2, 1, "waiting for workers: 1 of min 2 free")]
    [InlineData(2, 0, 0, "waiting for workers: 0 of min 2 free")]
    public void A_group_waiting_below_its_minimum_says_how_many_are_free(int workers, int minWorkers, int available, string reason)
    {
        Assert.Equal(reason, ExperimentLedger.Waiting(new ExperimentSpec("demo", "{}", workers, MinWorkers: minWorkers), available));
    }

    [Fact]
    public void The_status_carries_the_group_size()
    {
        var status = ExperimentLedger.ToStatus(Group(), "e", null, null);
        Assert.Equal((3, 2, 2), (status.RequestedWorkers, status.MinWorkers, status.Generation));
    }

    private static WorkerStatus Status(bool busy, string? experiment, int generation) =>
        new(Rank1, "s2", "cpu:0", experiment, generation, busy, Now);

    [Fact]
    public void A_worker_still_busy_with_the_stopped_generation_is_hung_and_stays_out_until_it_is_not()
    {
        Assert.Equal("it is still busy with generation 2 after being stopped", ExperimentLedger.HungAfterStop(Status(true, "e", 2), "e", 2));
        Assert.Null(ExperimentLedger.HungAfterStop(Status(false, "e", 2), "e", 2));       // stopped
        Assert.Null(ExperimentLedger.HungAfterStop(Status(true, "e", 3), "e", 2));        // already on a newer one
        Assert.Null(ExperimentLedger.HungAfterStop(Status(true, "other", 2), "e", 2));    // someone else's now

        Assert.False(ExperimentLedger.MayRejoin(Status(true, "e", 2), "e"));
        Assert.True(ExperimentLedger.MayRejoin(Status(false, "e", 2), "e"));
        Assert.True(ExperimentLedger.MayRejoin(Status(true, "other", 1), "e"));
    }
}
