namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// The entry points of libnccl.so.2 this project calls, as unmanaged function pointers (signatures from nccl.h;
/// ncclComm_t and cudaStream_t are opaque pointers, size_t counts are nuint).
/// </summary>
internal sealed unsafe class NcclApi
{
    public const string LibraryName = "libnccl.so.2";

    public readonly delegate* unmanaged<NcclUniqueId*, NcclResult> GetUniqueId;
    public readonly delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, NcclResult> CommInitRank;
    public readonly delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, NcclRedOp, IntPtr, IntPtr, NcclResult> AllReduce;
    public readonly delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, IntPtr, IntPtr, NcclResult> AllGather;
    public readonly delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult> Broadcast;
    public readonly delegate* unmanaged<NcclResult> GroupStart;
    public readonly delegate* unmanaged<NcclResult> GroupEnd;
    public readonly delegate* unmanaged<IntPtr, NcclResult> CommDestroy;
    public readonly delegate* unmanaged<IntPtr, NcclResult> CommAbort;
    public readonly delegate* unmanaged<IntPtr, NcclResult*, NcclResult> CommGetAsyncError;
    public readonly delegate* unmanaged<NcclResult, byte*> GetErrorString;
    public readonly delegate* unmanaged<int*, NcclResult> GetVersion;

    private NcclApi(NativeExports exports)
    {
        GetUniqueId = (delegate* unmanaged<NcclUniqueId*, NcclResult>)exports.Export("ncclGetUniqueId");
        CommInitRank = (delegate* unmanaged<IntPtr*, int, NcclUniqueId, int, NcclResult>)exports.Export("ncclCommInitRank");
        AllReduce = (delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, NcclRedOp, IntPtr, IntPtr, NcclResult>)exports.Export("ncclAllReduce");
        AllGather = (delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, IntPtr, IntPtr, NcclResult>)exports.Export("ncclAllGather");
        Broadcast = (delegate* unmanaged<IntPtr, IntPtr, nuint, NcclDataType, int, IntPtr, IntPtr, NcclResult>)exports.Export("ncclBroadcast");
        GroupStart = (delegate* unmanaged<NcclResult>)exports.Export("ncclGroupStart");
        GroupEnd = (delegate* unmanaged<NcclResult>)exports.Export("ncclGroupEnd");
        CommDestroy = (delegate* unmanaged<IntPtr, NcclResult>)exports.Export("ncclCommDestroy");
        CommAbort = (delegate* unmanaged<IntPtr, NcclResult>)exports.Export("ncclCommAbort");
        CommGetAsyncError = (delegate* unmanaged<IntPtr, NcclResult*, NcclResult>)exports.Export("ncclCommGetAsyncError");
        GetErrorString = (delegate* unmanaged<NcclResult, byte*>)exports.Export("ncclGetErrorString");
        GetVersion = (delegate* unmanaged<int*, NcclResult>)exports.Export("ncclGetVersion");
    }

    /// <summary>The API from <paramref name="library"/>, or null and a reason (library absent, or exports missing).</summary>
    public static NcclApi? TryLoad(string library, out string reason)
    {
        var exports = NativeExports.TryOpen(library, out reason);
        if (exports is null) return null;
        var api = new NcclApi(exports);
        if (exports.MissingReason is { } missing)
        {
            reason = missing;
            return null;
        }
        return api;
    }
}
