namespace Cluster.Training.Distributed.Nccl;

/// <summary>What the watchdog needs of a communicator: its asynchronous error and a way to abort it.</summary>
internal interface IAbortableCommunicator
{
    NcclResult AsyncError();
    void Abort();
}

/// <summary>
/// One <c>ncclComm_t</c>: this rank's handle on a group. Calls take device pointers and a CUDA stream (IntPtr.Zero =
/// the default stream) and only enqueue work. <see cref="Abort"/> may be called from another thread to unblock a
/// hung call; the communicator is unusable afterwards.
/// </summary>
public sealed unsafe class NcclCommunicator : IAbortableCommunicator, IDisposable
{
    private readonly NcclApi api;
    private readonly object gate = new();
    private IntPtr comm;

    private NcclCommunicator(NcclApi api, IntPtr comm, int rank, int worldSize)
    {
        this.api = api;
        this.comm = comm;
        Rank = rank;
        WorldSize = worldSize;
    }

    public int Rank { get; }
    public int WorldSize { get; }
    public bool Aborted { get; private set; }

    /// <summary>
    /// <c>ncclCommInitRank</c> on the calling thread's current CUDA device; blocks until all
    /// <paramref name="worldSize"/> ranks have called it with the same <paramref name="id"/>.
    /// </summary>
    public static NcclCommunicator InitRank(int rank, int worldSize, NcclUniqueId id)
    {
        if (worldSize < 1) throw new ArgumentOutOfRangeException(nameof(worldSize), worldSize, "a group has at least one rank");
        if (rank < 0 || rank >= worldSize)
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"rank must be in [0, {worldSize})");
        var api = NcclLibrary.Api;
        IntPtr handle;
        NcclLibrary.Check(api.CommInitRank(&handle, worldSize, id, rank), "ncclCommInitRank", peersInvolved: true);
        return new NcclCommunicator(api, handle, rank, worldSize);
    }

    public void AllReduce(IntPtr send, IntPtr receive, long count, NcclDataType type, NcclRedOp op, IntPtr stream) =>
        NcclLibrary.Check(api.AllReduce(send, receive, (nuint)count, type, op, Handle, stream), "ncclAllReduce", peersInvolved: true);

    /// <summary><paramref name="receive"/> holds WorldSize × <paramref name="sendCount"/> elements, rank r's at r × sendCount.</summary>
    public void AllGather(IntPtr send, IntPtr receive, long sendCount, NcclDataType type, IntPtr stream) =>
        NcclLibrary.Check(api.AllGather(send, receive, (nuint)sendCount, type, Handle, stream), "ncclAllGather", peersInvolved: true);

    public void Broadcast(IntPtr send, IntPtr receive, long count, NcclDataType type, int root, IntPtr stream) =>
        NcclLibrary.Check(api.Broadcast(send, receive, (nuint)count, type, root, Handle, stream), "ncclBroadcast", peersInvolved: true);

    /// <summary>Calls between <c>ncclGroupStart</c> and <c>ncclGroupEnd</c> are launched together when the group ends.</summary>
    public static void GroupStart() => NcclLibrary.Check(NcclLibrary.Api.GroupStart(), "ncclGroupStart", peersInvolved: false);

    public static void GroupEnd() => NcclLibrary.Check(NcclLibrary.Api.GroupEnd(), "ncclGroupEnd", peersInvolved: true);

    /// <summary><c>ncclCommGetAsyncError</c>: ncclSuccess while healthy (ncclInProgress while a nonblocking call runs).</summary>
    public NcclResult AsyncError()
    {
        lock (gate)
        {
            if (Aborted || comm == IntPtr.Zero) return NcclResult.Success;
            NcclResult error;
            NcclLibrary.Check(api.CommGetAsyncError(comm, &error), "ncclCommGetAsyncError", peersInvolved: false);
            return error;
        }
    }

    /// <summary><c>ncclCommAbort</c>: frees the communicator and makes its pending and blocked calls return.</summary>
    public void Abort()
    {
        IntPtr handle;
        lock (gate)
        {
            if (Aborted || comm == IntPtr.Zero) return;
            Aborted = true;
            handle = comm;
            comm = IntPtr.Zero;
        }
        // The result does not matter: the communicator is gone either way.
        _ = api.CommAbort(handle);
    }

    /// <summary><c>ncclCommDestroy</c> after the last collective finished (nothing to do after an abort).</summary>
    public void Dispose()
    {
        IntPtr handle;
        lock (gate)
        {
            handle = comm;
            comm = IntPtr.Zero;
        }
        if (handle != IntPtr.Zero) NcclLibrary.Check(api.CommDestroy(handle), "ncclCommDestroy", peersInvolved: false);
    }

    private IntPtr Handle
    {
        get
        {
            lock (gate)
            {
                if (Aborted) throw new GroupFaultException($"NCCL communicator of rank {Rank} was aborted");
                return comm != IntPtr.Zero ? comm : throw new ObjectDisposedException(nameof(NcclCommunicator));
            }
        }
    }
}
