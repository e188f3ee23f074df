using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// <see cref="IProcessGroup"/> over NCCL for CUDA tensors, one rank per GPU. Collectives run on the default CUDA
/// stream, the stream TorchSharp's kernels use (TorchSharp 0.107 has no stream API): NCCL's kernels are ordered after
/// the ones that produced the tensors and before the ones that read them, with no extra synchronisation. Each
/// collective still waits (polling, not blocking) until its kernels finished, so a dead or hung peer turns into a
/// <see cref="CollectiveTimeoutException"/> from the watchdog instead of a hang in the next kernel, and the contract's
/// "synchronous" holds.
/// </summary>
public sealed class NcclProcessGroup : IProcessGroup
{
    private readonly NcclCommunicator communicator;
    private readonly NcclWatchdog watchdog;
    private readonly NcclOptions options;
    private readonly Device device;
    private readonly int deviceIndex;
    private readonly bool useAvg;
    private readonly NcclVersion version;

    private NcclProcessGroup(NcclCommunicator communicator, Device device, int deviceIndex, NcclOptions options,
        NcclVersion version, CancellationToken stop)
    {
        this.communicator = communicator;
        this.device = device;
        this.deviceIndex = deviceIndex;
        this.options = options;
        this.version = version;
        useAvg = version.SupportsAvg;
        watchdog = new NcclWatchdog(communicator, options.CollectiveTimeout, options.WatchdogInterval, stop);
    }

    public int Rank => communicator.Rank;
    public int WorldSize => communicator.WorldSize;

    public string Describe =>
        $"NCCL {version} all-reduce on cuda:{deviceIndex}, {WorldSize} ranks, {options.BucketBytes / (double)(1 << 20):0.#} MiB buckets" +
        (useAvg ? "" : " (sum then divide: ncclAvg needs NCCL 2.10)");

    /// <summary>
    /// Whether this rank can use the nccl backend on <paramref name="device"/> (backend auto picks nccl when every
    /// rank can): a CUDA device and a loadable libnccl.so.2. <paramref name="reason"/> says why not.
    /// </summary>
    public static bool CanRunOn(Device device, out string reason)
    {
        reason = device.type != DeviceType.CUDA ? $"the nccl backend needs a CUDA device, got {device}"
            : NcclLibrary.UnavailableReason ?? "";
        return reason.Length == 0;
    }

    /// <summary>
    /// A new unique id for rank 0 to publish (<c>IExperimentGrain.PublishRendezvous</c>) before anyone calls
    /// <see cref="Create"/>. Throws <see cref="NcclUnavailableException"/> where NCCL is missing.
    /// </summary>
    public static byte[] CreateUniqueId() => NcclLibrary.CreateUniqueId().ToBytes();

    /// <summary>
    /// Joins the group with <paramref name="uniqueId"/> (rank 0's <see cref="CreateUniqueId"/> bytes). Blocks until
    /// all <paramref name="worldSize"/> ranks joined; a peer that does not join within the collective timeout gives a
    /// <see cref="CollectiveTimeoutException"/> (the blocked init call is abandoned on its thread).
    /// </summary>
    /// <param name="stop">Stops the run: forming the group or a collective waiting for a peer then throws
    /// <see cref="OperationCanceledException"/> at once (the communicator is aborted).</param>
    public static NcclProcessGroup Create(int rank, int worldSize, byte[] uniqueId, Device device, NcclOptions? options = null,
        CancellationToken stop = default)
    {
        options ??= NcclOptions.Default;
        if (device.type != DeviceType.CUDA)
            throw new ArgumentException($"the nccl backend needs a CUDA device, got {device}", nameof(device));
        if (uniqueId.Length != NcclUniqueId.Length)
            throw new ArgumentException($"the NCCL rendezvous id has {uniqueId.Length} bytes instead of {NcclUniqueId.Length}", nameof(uniqueId));
        var id = NcclUniqueId.FromBytes(uniqueId);
        var version = NcclLibrary.Version;
        int index = Math.Max(device.index, 0);
        var driver = CudaDriver.Instance;
        driver.MakeCurrent(index);

        var init = Task.Factory.StartNew(() =>
        {
            driver.MakeCurrent(index);
            return NcclCommunicator.InitRank(rank, worldSize, id);
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            if (!init.Wait(options.CollectiveTimeout, stop))
                throw new CollectiveTimeoutException(-1, options.CollectiveTimeout, $"ncclCommInitRank (rank {rank} of {worldSize})");
        }
        catch (AggregateException failed) when (failed.InnerException is { } inner)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(inner);
        }
        return new NcclProcessGroup(init.Result, device, index, options, version, stop);
    }

    public void AllReduceMean(IReadOnlyList<Tensor> tensors)
    {
        foreach (var t in tensors)
            if (!t.is_floating_point())
                throw new ArgumentException($"a mean needs floating-point tensors, got {t.dtype}", nameof(tensors));
        AllReduce(tensors, useAvg ? NcclRedOp.Avg : NcclRedOp.Sum, "NCCL all-reduce (mean)");
        if (useAvg) return;
        // Held to the end of the call: an implicit int → Scalar conversion may be finalized during the native call.
        using var worldSize = WorldSize.ToScalar();
        using (no_grad())
            foreach (var t in tensors) t.div_(worldSize);
    }

    public void AllReduceSum(IReadOnlyList<Tensor> tensors) => AllReduce(tensors, NcclRedOp.Sum, "NCCL all-reduce (sum)");

    /// <summary>Grouped <c>ncclBroadcast</c> of each tensor in place from <paramref name="root"/> (initial parameters).</summary>
    public void Broadcast(IReadOnlyList<Tensor> tensors, int root)
    {
        var targets = Prepare(tensors);
        Launch("NCCL broadcast", () =>
        {
            foreach (var bucket in NcclBucketPlan.Plan(targets.Select(t => t.Bytes).ToList(), options.BucketBytes))
                Grouped(bucket, i => communicator.Broadcast(targets[i].Pointer, targets[i].Pointer, targets[i].Count, targets[i].Type, root, IntPtr.Zero));
        });
        CopyBack(tensors, targets);
    }

    public byte[][] AllGather(byte[] local)
    {
        using var scope = NewDisposeScope();
        var lengthSend = tensor(new long[] { local.LongLength }, device: device);
        var lengths = zeros(WorldSize, ScalarType.Int64, device);
        Launch("NCCL all-gather (lengths)", () =>
            communicator.AllGather(TensorPointers.DataPointer(lengthSend), TensorPointers.DataPointer(lengths), 1, NcclDataType.Int64, IntPtr.Zero));
        var sizes = lengths.cpu().data<long>().ToArray();
        long longest = Math.Max(1, sizes.Max());

        var padded = new byte[longest];
        local.CopyTo(padded, 0);
        var send = tensor(padded, device: device);
        var gathered = zeros(WorldSize * longest, ScalarType.Byte, device);
        Launch("NCCL all-gather", () =>
            communicator.AllGather(TensorPointers.DataPointer(send), TensorPointers.DataPointer(gathered), longest, NcclDataType.Uint8, IntPtr.Zero));
        var all = gathered.cpu().data<byte>().ToArray();
        return [.. Enumerable.Range(0, WorldSize).Select(r => all.AsSpan((int)(r * longest), (int)sizes[r]).ToArray())];
    }

    public void Dispose()
    {
        watchdog.Dispose();
        if (watchdog.Fault is null) communicator.Dispose();
        else communicator.Abort();
    }

    private void AllReduce(IReadOnlyList<Tensor> tensors, NcclRedOp op, string name)
    {
        var targets = Prepare(tensors);
        Launch(name, () =>
        {
            foreach (var bucket in NcclBucketPlan.Plan(targets.Select(t => t.Bytes).ToList(), options.BucketBytes))
                Grouped(bucket, i => communicator.AllReduce(targets[i].Pointer, targets[i].Pointer, targets[i].Count, targets[i].Type, op, IntPtr.Zero));
        });
        CopyBack(tensors, targets);
    }

    private readonly record struct Target(Tensor Contiguous, IntPtr Pointer, long Count, long Bytes, NcclDataType Type);

    /// <summary>Device pointers of the tensors, through a contiguous copy where a tensor is not contiguous.</summary>
    private List<Target> Prepare(IReadOnlyList<Tensor> tensors)
    {
        var targets = new List<Target>(tensors.Count);
        foreach (var t in tensors)
        {
            if (t.device_type != DeviceType.CUDA || Math.Max(t.device_index, 0) != deviceIndex)
                throw new ArgumentException($"the NCCL group runs on cuda:{deviceIndex}, got a tensor on {t.device}", nameof(tensors));
            var contiguous = t.is_contiguous() ? t : t.contiguous();
            targets.Add(new Target(contiguous, TensorPointers.DataPointer(contiguous), t.numel(), t.numel() * t.ElementSize, NcclDataTypes.Of(t.dtype)));
        }
        return targets;
    }

    private static void CopyBack(IReadOnlyList<Tensor> tensors, List<Target> targets)
    {
        using var _ = no_grad();
        for (int i = 0; i < tensors.Count; i++)
        {
            if (ReferenceEquals(targets[i].Contiguous, tensors[i])) continue;
            tensors[i].copy_(targets[i].Contiguous);
            targets[i].Contiguous.Dispose();
        }
    }

    private static void Grouped(IReadOnlyList<int> bucket, Action<int> call)
    {
        NcclCommunicator.GroupStart();
        try
        {
            foreach (var i in bucket) call(i);
        }
        finally
        {
            NcclCommunicator.GroupEnd();
        }
    }

    private void Launch(string name, Action enqueue)
    {
        var driver = CudaDriver.Instance;
        driver.MakeCurrent(deviceIndex);
        watchdog.Run(name, enqueue, driver.DefaultStreamIdle);
    }
}
