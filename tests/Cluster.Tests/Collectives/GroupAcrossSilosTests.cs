using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Tests.Grains;
using Cluster.Training.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using TorchSharp;

namespace Cluster.Tests.Collectives;

public sealed class TwoSiloCluster : IAsyncLifetime
{
    internal ClusterTestHost Host { get; private set; } = null!;

    public async Task InitializeAsync() => Host = await ClusterTestHost.StartAsync();

    public async Task DisposeAsync() => await Host.DisposeAsync();
}

/// <summary>Process groups of slots on two silos, built as a worker builds them, over Orleans calls.</summary>
public sealed class GroupAcrossSilosTests(TwoSiloCluster cluster) : IClassFixture<TwoSiloCluster>
{
    private ClusterTestHost Host => cluster.Host;

    /// <summary>Two slots of the primary silo and one of the secondary: a ring that crosses silos both ways.</summary>
    private (InProcessSiloHandle Silo, string Key)[] ThreeSlots() =>
    [
        (Host.Primary, WorkerKey.For(Host.Primary.SiloAddress.ToParsableString(), "cpu:0")),
        (Host.Secondary, WorkerKey.For(Host.Secondary.SiloAddress.ToParsableString(), "cpu:0")),
        (Host.Primary, WorkerKey.For(Host.Primary.SiloAddress.ToParsableString(), "cpu:1")),
    ];

    private static IProcessGroup GroupOf(InProcessSiloHandle silo, string groupId, int rank, IReadOnlyList<string> peers, CancellationToken stop = default)
    {
        // Small buckets and messages: several buckets, each cut into several chunks.
        var config = new DistributedConfig { Backend = DistributedBackend.Auto, BucketSizeMb = 0.002, ChunkSizeMb = 0.0005, CollectiveTimeout = 30 };
        return silo.ServiceProvider.GetRequiredService<ProcessGroupFactory>()
            .Create(new GroupMembership(groupId, 1, rank, peers), config, "cpu", stop);
    }

    [Fact]
    public async Task ThreeRanksOnTwoSilosSumAverageAndGatherExactly()
    {
        var slots = ThreeSlots();
        var peers = slots.Select(s => s.Key).ToList();
        long ClaimedOn(InProcessSiloHandle silo) => silo.ServiceProvider.GetRequiredService<CollectiveMailboxes>().Claimed;
        var claimedBefore = (ClaimedOn(Host.Primary), ClaimedOn(Host.Secondary));
        var ranks = slots.Select((slot, rank) => Task.Factory.StartNew(() =>
        {
            using var group = GroupOf(slot.Silo, "sum-test", rank, peers);
            // Rank r holds (r + 1)·[0, 1, 2, ...]: sums are 6·i, means 2·i; a second tensor checks multi-tensor buckets.
            using var a = torch.arange(0, 1500, dtype: torch.float32) * (rank + 1);
            using var b = torch.full(333, rank + 1f);
            group.AllReduceSum([a, b]);
            using var c = torch.arange(0, 700, dtype: torch.float32) * (rank + 1);
            group.AllReduceMean([c]);
            var gathered = group.AllGather([(byte)rank, (byte)(10 + rank)]);
            return (a.data<float>().ToArray(), b.data<float>().ToArray(), c.data<float>().ToArray(), gathered, group.Describe);
        }, TaskCreationOptions.LongRunning)).ToList();

        foreach (var (a, b, c, gathered, describe) in await Task.WhenAll(ranks))
        {
            Assert.Equal(Enumerable.Range(0, 1500).Select(i => 6f * i), a);
            Assert.All(b, value => Assert.Equal(6f, value));
            Assert.Equal(Enumerable.Range(0, 700).Select(i => 2f * i), c);
            Assert.Equal([[0, 10], [1, 11], [2, 12]], gathered);
            Assert.Contains("over Orleans", describe);
        }
        Assert.Equal(0, Host.Primary.ServiceProvider.GetRequiredService<CollectiveMailboxes>().Count); // ended runs freed
        // Each silo read messages from the other straight into posted receives (an all-gather message cannot arrive
        // before its receiver's own send, so some always find their receive posted).
        Assert.True(ClaimedOn(Host.Primary) > claimedBefore.Item1 && ClaimedOn(Host.Secondary) > claimedBefore.Item2,
            $"claimed: primary {claimedBefore.Item1} → {ClaimedOn(Host.Primary)}, secondary {claimedBefore.Item2} → {ClaimedOn(Host.Secondary)}");
    }

    [Fact]
    public async Task StoppingARunUnblocksARankWaitingForItsPeers()
    {
        var slots = ThreeSlots();
        var peers = slots.Select(s => s.Key).ToList();
        using var stop = new CancellationTokenSource();
        var waiting = Task.Factory.StartNew(() =>
        {
            using var group = GroupOf(slots[0].Silo, "stop-test", 0, peers, stop.Token);
            using var tensor = torch.ones(100);
            group.AllReduceSum([tensor]); // the other ranks never come
        }, TaskCreationOptions.LongRunning);

        await Task.Delay(300);
        Assert.False(waiting.IsCompleted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public void AGroupTheSiloCannotCarryIsRefusedBeforeItOpensAnything()
    {
        var slots = ThreeSlots();
        var peers = slots.Select(s => s.Key).ToList();
        var factory = Host.Primary.ServiceProvider.GetRequiredService<ProcessGroupFactory>();
        var membership = new GroupMembership("refused", 1, 0, peers);

        var tooLarge = Assert.Throws<ArgumentException>(() => factory.Create(membership, new DistributedConfig { ChunkSizeMb = 200 }, "cpu", default));
        Assert.StartsWith("distributed.chunk_size_mb: 200 MiB messages do not fit", tooLarge.Message);
        var nccl = Assert.Throws<NotSupportedException>(() => factory.Create(membership, new DistributedConfig { Backend = DistributedBackend.Nccl }, "cpu", default));
        Assert.StartsWith("distributed.backend: nccl is not available", nccl.Message);
        Assert.Equal(0, Host.Primary.ServiceProvider.GetRequiredService<CollectiveMailboxes>().Count);
    }

    [Fact]
    public async Task SlotGrainsBenchmarkAnAllReduceWithExactSums()
    {
        var peers = ThreeSlots().Take(2).Select(s => s.Key).ToList();
        var spec = new AllReduceBenchmarkSpec("bench-test", 1, peers, 0, [4096, 40_000], Iterations: 2, Warmup: 1, ChunkSizeMiB: 0.004);
        var results = await Task.WhenAll(peers.Select((peer, rank) =>
            Host.Client.GetGrain<IGpuWorkerGrain>(peer).BenchmarkAllReduce(spec with { Rank = rank })));

        foreach (var result in results)
        {
            Assert.Equal([4096L, 40_000L], result.Timings.Select(t => t.Bytes));
            Assert.All(result.Timings, t => Assert.True(t.Checked && t.MeanSeconds > 0));
            Assert.Contains("ring all-reduce over Orleans, 2 ranks", result.Describe);
        }
        var misplaced = spec with { Rank = 1 }; // sent to rank 0's slot
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => Host.Client.GetGrain<IGpuWorkerGrain>(peers[0]).BenchmarkAllReduce(misplaced));
        Assert.Contains("is not rank 1", refused.Message);
    }
}
