using Cluster.Training.Distributed;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed;

public class RingProcessGroupTests
{
    internal static DistributedConfig Config(double bucketMb = 25, double chunkMb = 4, double timeoutSeconds = 30) =>
        new() { BucketSizeMb = bucketMb, ChunkSizeMb = chunkMb, CollectiveTimeout = timeoutSeconds };

    /// <summary>Runs <paramref name="body"/> on one thread per rank, each with its own group, and returns the results by rank.</summary>
    internal static T[] OnEveryRank<T>(int ranks, DistributedConfig config, Func<IProcessGroup, T> body)
    {
        var network = new InMemoryPeerNetwork(ranks);
        var tasks = network.All().Select(transport => Task.Factory.StartNew(() =>
        {
            using var group = new RingProcessGroup(transport, config, "memory");
            return body(group);
        }, TaskCreationOptions.LongRunning)).ToArray();
        return Task.WhenAll(tasks).GetAwaiter().GetResult();
    }

    /// <summary>Rank r's tensors: shapes that make several buckets of a tiny bucket size, values exact in float32.</summary>
    private static List<Tensor> TensorsOf(int rank) =>
    [
        torch.arange(0, 12, dtype: ScalarType.Float32).reshape(3, 4) * (rank + 1),
        torch.full(5, 0.5f * (rank + 1)),
        torch.arange(0, 300, dtype: ScalarType.Float32) - rank,
        torch.tensor(new[] { 2f * rank }),
    ];

    [Theory]
    [InlineData(2, 25.0)]
    [InlineData(3, 25.0)]
    [InlineData(3, 0.0002)] // 52 floats per bucket: four buckets, one holding a tensor larger than the bucket
    [InlineData(4, 0.00002)]
    public void AllReduceMean_averages_and_AllReduceSum_sums_every_tensor(int ranks, double bucketMb)
    {
        var config = Config(bucketMb, chunkMb: 0.0001);
        var results = OnEveryRank(ranks, config, group =>
        {
            var mean = TensorsOf(group.Rank);
            var sum = TensorsOf(group.Rank);
            group.AllReduceMean(mean);
            group.AllReduceSum(sum);
            group.AllReduceMean(mean); // again, reusing the buckets: the mean of equal tensors is the same
            return (Mean: mean.Select(t => t.data<float>().ToArray()).ToList(), Sum: sum.Select(t => t.data<float>().ToArray()).ToList(),
                Shapes: mean.Select(t => t.shape).ToList());
        });

        var all = Enumerable.Range(0, ranks).Select(TensorsOf).ToList();
        for (int i = 0; i < all[0].Count; i++)
        {
            var expectedSum = all.Select(tensors => tensors[i]).Aggregate((a, b) => a + b);
            var expectedMean = expectedSum / ranks;
            foreach (var result in results)
            {
                Assert.Equal(expectedSum.data<float>().ToArray(), result.Sum[i]);
                Assert.Equal(expectedMean.data<float>().ToArray(), result.Mean[i], (a, b) => Math.Abs(a - b) <= 1e-6f * Math.Max(1, Math.Abs(b)));
                Assert.Equal(all[0][i].shape, result.Shapes[i]);
            }
        }
    }

    [Fact]
    public void A_bucket_grown_inside_a_callers_DisposeScope_outlives_the_scope()
    {
        // The first call inside a scope (as a training step or a SyncBatchNorm forward makes it) allocates the bucket;
        // the scope's end must not free it: the next call reuses it.
        var results = OnEveryRank(2, Config(bucketMb: 0.0002, chunkMb: 0.0001), group =>
        {
            using (NewDisposeScope())
            {
                var inScope = torch.full(100, group.Rank + 1f);
                group.AllReduceSum([inScope]);
            }
            var after = torch.full(100, 2f * (group.Rank + 1));
            group.AllReduceSum([after]);
            return after.data<float>().ToArray();
        });
        Assert.All(results, sum => Assert.All(sum, value => Assert.Equal(6f, value)));
    }

    [Fact]
    public void AllGather_returns_each_ranks_bytes()
    {
        var results = OnEveryRank(3, Config(), group => group.AllGather([(byte)group.Rank, 7]));
        foreach (var result in results)
            Assert.Equal(new[] { new byte[] { 0, 7 }, [1, 7], [2, 7] }, result);
    }

    [Fact]
    public void Broadcast_gives_every_rank_rank_zeros_values_of_every_type()
    {
        var results = OnEveryRank(3, Config(), group =>
        {
            var weight = torch.full(4, 1.5f + group.Rank).requires_grad_();
            var count = torch.tensor(10L + group.Rank);
            var half = torch.full(2, -0.0, dtype: ScalarType.Float64) + group.Rank;
            group.BroadcastFromRankZero([weight, count, half]);
            return (weight.data<float>().ToArray(), count.item<long>(), half.data<double>().ToArray());
        });
        foreach (var (weight, count, half) in results)
        {
            Assert.Equal([1.5f, 1.5f, 1.5f, 1.5f], weight);
            Assert.Equal(10L, count);
            Assert.Equal([0.0, 0.0], half);
        }
    }

    [Fact]
    public void AverageFloatingPoint_leaves_integer_buffers_alone()
    {
        var results = OnEveryRank(2, Config(), group =>
        {
            var runningMean = torch.full(3, 1f + 2 * group.Rank);
            var tracked = torch.tensor(5L + group.Rank);
            group.AverageFloatingPoint([runningMean, tracked]);
            return (runningMean.data<float>().ToArray(), tracked.item<long>());
        });
        Assert.Equal([2f, 2f, 2f], results[0].Item1);
        Assert.Equal([2f, 2f, 2f], results[1].Item1);
        Assert.Equal(5L, results[0].Item2);
        Assert.Equal(6L, results[1].Item2);
    }

    [Fact]
    public void VerifyReplicas_passes_equal_replicas_and_names_the_divergent_rank()
    {
        OnEveryRank(3, Config(), group =>
        {
            group.VerifyReplicas([torch.ones(4)], epoch: 1);
            return 0;
        });

        var errors = OnEveryRank(3, Config(), group =>
            Record.Exception(() => group.VerifyReplicas([torch.ones(4) + (group.Rank == 2 ? 1e-6f : 0f)], epoch: 2)));

        var expectedHashes = new[] { torch.ones(4), torch.ones(4), torch.ones(4) + 1e-6f }
            .Select(t => Convert.ToHexString(ProcessGroupExtensions.HashOf([t]))[..16].ToLowerInvariant()).ToList();
        foreach (var error in errors)
        {
            var diverged = Assert.IsType<ReplicaDivergedException>(error);
            Assert.Contains("after epoch 2", diverged.Message);
            Assert.Contains($"2={expectedHashes[2]}", diverged.Message);
            Assert.Contains($"0={expectedHashes[0]}", diverged.Message);
            Assert.NotEqual(expectedHashes[0], expectedHashes[2]);
        }
    }

    [Fact]
    public void A_silent_peer_fails_the_collective_with_a_group_fault()
    {
        var network = new InMemoryPeerNetwork(2);
        network.Mute(0);
        using var group = new RingProcessGroup(network.Rank(1), Config(timeoutSeconds: 0.3), "memory");
        var error = Assert.Throws<CollectiveTimeoutException>(() => group.AllReduceMean([torch.ones(10)]));
        Assert.Equal(0, error.PeerRank);
    }

    [Fact]
    public void Describe_names_transport_ranks_and_sizes()
    {
        using var group = new RingProcessGroup(new InMemoryPeerNetwork(3).Rank(1), Config(), "Orleans");
        Assert.Equal("ring all-reduce over Orleans, 3 ranks, rank 1, 25 MiB buckets, 4 MiB messages, 30 s timeout", group.Describe);
        Assert.Equal(1, group.Rank);
        Assert.Equal(3, group.WorldSize);
    }
}
