using Cluster.Abstractions.Workers;
using Cluster.Training.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Cluster.Grains.Collectives;

/// <summary>
/// The NCCL seam: builds a process group of CUDA slots (the NCCL layer registers one in the silo's services). Its
/// rendezvous and communicator are its own; it must honour <paramref name="stop"/> like the ring does.
/// </summary>
public interface IDeviceProcessGroupFactory
{
    IProcessGroup Create(GroupMembership group, DistributedConfig config, string device, CancellationToken stop);
}

/// <summary>
/// Builds a slot's process group for a group generation on this silo, choosing the backend from
/// <c>distributed.backend</c>: <c>ring</c> is the ring all-reduce over <see cref="OrleansPeerTransport"/>; <c>nccl</c>
/// needs an <see cref="IDeviceProcessGroupFactory"/>; <c>auto</c> takes NCCL when every peer is a CUDA slot and one is
/// registered, else the ring.
/// </summary>
public sealed class ProcessGroupFactory(CollectiveMailboxes mailboxes, IGrainFactory grains, IServiceProvider services,
    IOptions<SiloMessagingOptions> messaging)
{
    /// <summary>Room left in a message for its envelope and the other fields of a <see cref="Abstractions.Collectives.CollectiveMessage"/>.</summary>
    private const int MessageOverheadBytes = 64 * 1024;

    public DistributedBackend Resolve(DistributedBackend backend, IReadOnlyList<string> peers)
    {
        var nccl = services.GetService<IDeviceProcessGroupFactory>();
        return backend switch
        {
            DistributedBackend.Nccl when nccl is null => throw new NotSupportedException(
                "distributed.backend: nccl is not available on this silo (no NCCL layer registered); use ring or auto"),
            DistributedBackend.Auto => nccl is not null && peers.All(IsCuda) ? DistributedBackend.Nccl : DistributedBackend.Ring,
            _ => backend,
        };
    }

    /// <summary>The process group of <paramref name="group"/>'s rank on this silo; dispose it when the run ends.</summary>
    /// <param name="stop">Cancels every collective (the run is stopped): a rank waiting for a peer returns at once.</param>
    public IProcessGroup Create(GroupMembership group, DistributedConfig config, string device, CancellationToken stop)
    {
        if (Resolve(config.Backend, group.Peers) == DistributedBackend.Nccl)
            return services.GetRequiredService<IDeviceProcessGroupFactory>().Create(group, config, device, stop);
        var transport = Transport(group, config, stop);
        return new OwningProcessGroup(new RingProcessGroup(transport, config, "Orleans"), transport);
    }

    /// <summary>
    /// The rank's transport over this silo's mailboxes, for messages of at most <c>config.ChunkBytes</c>; disposing it
    /// ends the generation on the slot.
    /// </summary>
    public OrleansPeerTransport Transport(GroupMembership group, DistributedConfig config, CancellationToken stop)
    {
        if (config.ChunkBytes > MaxPayloadBytes)
            throw new ArgumentException(
                $"distributed.chunk_size_mb: {config.ChunkSizeMb} MiB messages do not fit the silo's message size limit " +
                $"({MaxPayloadBytes} bytes with room for the envelope; raise Cluster:MaxMessageBodyMiB)");
        var lease = mailboxes.Open(group.Self, group.GroupId, group.Generation);
        return new OrleansPeerTransport(group, key => grains.GetGrain<IGpuWorkerGrain>(key), lease, MaxPayloadBytes, stop);
    }

    /// <summary>The largest chunk a message may carry on this silo (its message size limit, less room for the envelope).</summary>
    public int MaxPayloadBytes => (int)Math.Min(int.MaxValue, (long)messaging.Value.MaxMessageBodySize - MessageOverheadBytes);

    private static bool IsCuda(string workerKey) =>
        WorkerKey.Parse(workerKey).Device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);

    /// <summary>A group that also ends its transport (the slot's mailbox of the generation) when disposed.</summary>
    private sealed class OwningProcessGroup(IProcessGroup inner, IDisposable transport) : IProcessGroup
    {
        public int Rank => inner.Rank;
        public int WorldSize => inner.WorldSize;
        public string Describe => inner.Describe;
        public void AllReduceMean(IReadOnlyList<TorchSharp.torch.Tensor> tensors) => inner.AllReduceMean(tensors);
        public void AllReduceSum(IReadOnlyList<TorchSharp.torch.Tensor> tensors) => inner.AllReduceSum(tensors);
        public byte[][] AllGather(byte[] local) => inner.AllGather(local);

        public void Dispose()
        {
            inner.Dispose();
            transport.Dispose();
        }
    }
}
