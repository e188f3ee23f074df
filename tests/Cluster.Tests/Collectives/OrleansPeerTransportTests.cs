using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Tests.Grains;
using Cluster.Training.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;

namespace Cluster.Tests.Collectives;

/// <summary>Bytes between slot grains of two silos through their mailboxes, and a stale generation refused end to end.</summary>
public class OrleansPeerTransportTests
{
    internal static OrleansPeerTransport TransportOn(InProcessSiloHandle silo, GroupMembership group, CancellationToken stop = default)
    {
        var services = silo.ServiceProvider;
        var grains = services.GetRequiredService<IGrainFactory>();
        var lease = services.GetRequiredService<CollectiveMailboxes>().Open(group.Self, group.GroupId, group.Generation);
        return new OrleansPeerTransport(group, key => grains.GetGrain<IGpuWorkerGrain>(key), lease, 1 << 20, stop);
    }

    [Fact]
    public async Task RanksOnTwoSilosExchangeBytesAndStaleGenerationsAreRefused()
    {
        await using var host = await ClusterTestHost.StartAsync();
        string[] peers = [ClusterTestHost.CpuSlot(host.Primary).WorkerKey, ClusterTestHost.CpuSlot(host.Secondary).WorkerKey];

        using var rank0 = TransportOn(host.Primary, new GroupMembership("exp", 1, 0, peers));
        using (var rank1 = TransportOn(host.Secondary, new GroupMembership("exp", 1, 1, peers)))
        {
            byte[] sent = [1, 2, 3, 4];
            await rank0.SendAsync(1, tag: 5, sent, CancellationToken.None);
            sent[0] = 99; // the sender may reuse its buffer once the send completed
            await rank1.SendAsync(0, tag: 5, new byte[] { 7 }, CancellationToken.None);
            Assert.Equal([1, 2, 3, 4], await CollectiveMailboxesTests.Bytes(rank1.ReceiveAsync(0, 5, CancellationToken.None)));
            Assert.Equal([7], await CollectiveMailboxesTests.Bytes(rank0.ReceiveAsync(1, 5, CancellationToken.None)));
        }

        // Two slots of one silo: the call is local and not copied by Orleans, yet the receiver owns what it got.
        string[] local = [peers[0].Replace("/cpu:0", "/cpu:5"), peers[0].Replace("/cpu:0", "/cpu:6")];
        using (var sender = TransportOn(host.Primary, new GroupMembership("local", 1, 0, local)))
        using (var receiver = TransportOn(host.Primary, new GroupMembership("local", 1, 1, local)))
        {
            byte[] buffer = [1, 2, 3];
            await sender.SendAsync(1, 0, buffer, CancellationToken.None);
            buffer[0] = 99;
            Assert.Equal([1, 2, 3], await CollectiveMailboxesTests.Bytes(receiver.ReceiveAsync(0, 0, CancellationToken.None)));
        }

        // Rank 1's slot moved on to generation 2: rank 0, still in generation 1, is told its group is gone.
        using var newer = TransportOn(host.Secondary, new GroupMembership("exp", 2, 1, peers));
        var fault = await Assert.ThrowsAsync<GroupFaultException>(() => rank0.SendAsync(1, 6, new byte[] { 1 }, CancellationToken.None));
        Assert.Contains("stale", fault.Message);
    }
}
