using Cluster.Abstractions.Lfb;
using Cluster.Grains.Lfb;

namespace Cluster.Tests.LfbCluster;

public sealed class BankLedgerTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] Videos = ["v0", "v1", "v2", "v3", "v4", "v5", "v6"];

    private static BankRequest Request(string split = "train", int shards = 3, string dtype = "float32", string yaml = "model: {}") =>
        new("cfg", yaml, split, dtype, shards, "ds1", Videos);

    private static BankPart Part(string worker, long features = 10) =>
        new(new BankBlob("banks/b/parts/train/0.bank", "file:///x", 100, "ab"), features, 2, 1.5, worker, Now);

    [Fact]
    public void ShardsTakeContiguousRunsDifferingByAtMostOne()
    {
        var shards = Enumerable.Range(0, 3).Select(i => BankSplits.ShardVideos(Videos, i, 3)).ToList();

        Assert.Equal(["v0", "v1", "v2"], shards[0]);
        Assert.Equal(["v3", "v4"], shards[1]);
        Assert.Equal(["v5", "v6"], shards[2]);
        Assert.Equal(Videos, shards.SelectMany(s => s));
    }

    [Fact]
    public void ARequestCreatesPendingShardsKeyedByDatasetSplitAndIndex()
    {
        var record = new BankRecord();

        Assert.True(BankLedger.Request(record, "b", Request(shards: 10), Now));

        var job = record.Splits["train"];
        Assert.Equal(BankState.Pending, job.State);
        Assert.Equal(7, job.Shards.Count); // never more shards than videos
        Assert.Equal("ds1/train/6-of-7", job.Shards[6].Key);
        Assert.All(job.Shards, s => Assert.True(s.IsPending));
        Assert.Equal(7, BankLedger.Pending(record).Count);
    }

    [Fact]
    public void TheSameRequestAgainChangesNothingAndAnotherConfigForTheSplitIsRefused()
    {
        var record = new BankRecord();
        BankLedger.Request(record, "b", Request(), Now);

        Assert.False(BankLedger.Request(record, "b", Request(), Now));
        var error = Assert.Throws<BankRejectedException>(() => BankLedger.Request(record, "b", Request(dtype: "float16"), Now));
        Assert.Contains("train", error.Message);
        Assert.True(BankLedger.Request(record, "b", Request(split: "val", dtype: "float16"), Now));
        Assert.Equal(["train", "val"], record.Splits.Keys.Order());
    }

    [Theory]
    [InlineData("test", "float32", 2, "split 'test'")]
    [InlineData("train", "float64", 2, "dtype 'float64'")]
    [InlineData("train", "float32", 0, "shards must be at least 1")]
    public void BadRequestsAreRefusedAndNothingIsRecorded(string split, string dtype, int shards, string expected)
    {
        var record = new BankRecord();

        var error = Assert.Throws<BankRejectedException>(() => BankLedger.Request(record, "b", Request(split, shards, dtype), Now));

        Assert.Contains(expected, error.Message);
        Assert.False(record.Exists);
        Assert.Empty(record.Splits);
    }

    [Fact]
    public void OutcomesRecordPartsRequeueRetryableFailuresAndIgnoreStaleAttempts()
    {
        var record = new BankRecord();
        BankLedger.Request(record, "b", Request(), Now);
        var job = record.Splits["train"];
        var first = BankLedger.Assign(record, "b", job, job.Shards[0], "w1", Now);
        var second = BankLedger.Assign(record, "b", job, job.Shards[1], "w2", Now);
        Assert.Equal((1, 2), (first.Attempt, second.Attempt));
        Assert.Equal("banks/b/parts/train/1.bank", second.PartKey);
        Assert.Equal(BankState.Running, job.State);

        var stale = new BankShardOutcome("train", 1, Attempt: 99, "w2", null, "boom", Retryable: true);
        Assert.Equal(BankLedger.OutcomeEffect.Ignored, BankLedger.Apply(record, stale, 3, Now));
        Assert.Equal(BankLedger.OutcomeEffect.Changed, BankLedger.Apply(record, new BankShardOutcome("train", 0, 1, "w1", Part("w1"), null), 3, Now));
        Assert.Equal(BankLedger.OutcomeEffect.Changed, BankLedger.Apply(record, new BankShardOutcome("train", 1, 2, "w2", null, "storage down", true), 3, Now));

        Assert.True(job.Shards[0].IsDone);
        Assert.True(job.Shards[1].IsPending);
        Assert.Equal(1, job.Retries);
        var status = BankLedger.ToStatus(record, "b", (_, _) => 0, Now, null).Split("train")!;
        Assert.Equal((1, 3, 10L), (status.ShardsDone, status.ShardsTotal, status.Features));
    }

    [Fact]
    public void AComputationErrorFailsTheSplitAndALatePartOfAnEarlierAttemptIsStillTheShards()
    {
        var record = new BankRecord();
        BankLedger.Request(record, "b", Request(), Now);
        var job = record.Splits["train"];
        var old = BankLedger.Assign(record, "b", job, job.Shards[0], "w1", Now);
        BankLedger.Lost(job, job.Shards[0]);
        BankLedger.Assign(record, "b", job, job.Shards[0], "w2", Now);

        Assert.Equal(BankLedger.OutcomeEffect.Changed,
            BankLedger.Apply(record, new BankShardOutcome("train", 0, old.Attempt, "w1", Part("w1"), null), 3, Now));
        Assert.Equal("w1", job.Shards[0].Part!.WorkerKey);

        var work = BankLedger.Assign(record, "b", job, job.Shards[1], "w2", Now);
        Assert.Equal(BankLedger.OutcomeEffect.Failed,
            BankLedger.Apply(record, new BankShardOutcome("train", 1, work.Attempt, "w2", null, "model has no person features"), 3, Now));
        Assert.Equal(BankState.Failed, job.State);
        Assert.Contains("model has no person features", job.Reason);
        Assert.Empty(BankLedger.Pending(record));

        // Asking again restarts the failed split; the finished shard stays finished.
        Assert.True(BankLedger.Request(record, "b", Request(), Now));
        Assert.Equal(BankState.Pending, job.State);
        Assert.True(job.Shards[0].IsDone);
        Assert.Equal(2, BankLedger.Pending(record).Count);
    }
}
