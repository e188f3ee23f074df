using Cluster.Training.Distributed.Nccl;

namespace Cluster.Tests.Distributed.Nccl;

public class NcclBucketPlanTests
{
    [Fact]
    public void FillsBucketsInOrderAndGivesOversizedTensorsTheirOwn()
    {
        long[] sizes = [10, 20, 5, 100, 30, 30, 0, 40, 1];
        var plan = NcclBucketPlan.Plan(sizes, bucketBytes: 50);
        Assert.Equal([[0, 1, 2], [3], [4], [5], [7, 8]], plan.Select(b => b.ToArray()));
    }

    [Fact]
    public void ExactlyFullBucketsCloseAndEveryNonEmptyTensorIsPlannedOnce()
    {
        long[] sizes = [25, 25, 25, 25, 50];
        var plan = NcclBucketPlan.Plan(sizes, bucketBytes: 50);
        Assert.Equal([[0, 1], [2, 3], [4]], plan.Select(b => b.ToArray()));
        Assert.Empty(NcclBucketPlan.Plan([], 50));
        Assert.Empty(NcclBucketPlan.Plan([0, 0], 50));
    }

    [Fact]
    public void RefusesNonsense()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NcclBucketPlan.Plan([1], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => NcclBucketPlan.Plan([-1], 10));
    }
}
