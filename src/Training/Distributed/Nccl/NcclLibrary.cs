using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// libnccl.so.2, loaded on first use. <see cref="IsAvailable"/> never throws; everything else throws
/// <see cref="NcclUnavailableException"/> ("NCCL (libnccl.so.2) is not available: ...") where it is missing.
/// </summary>
public static unsafe class NcclLibrary
{
    private static readonly Lazy<(NcclApi? Api, string Reason)> Loaded = new(() =>
    {
        var api = NcclApi.TryLoad(NcclApi.LibraryName, out var reason);
        return (api, reason);
    });

    public static bool IsAvailable => Loaded.Value.Api is not null;

    /// <summary>Null when available; otherwise the one-line error that using NCCL would throw.</summary>
    public static string? UnavailableReason =>
        IsAvailable ? null : new NcclUnavailableException(Loaded.Value.Reason).Message;

    internal static NcclApi Api => Loaded.Value.Api ?? throw new NcclUnavailableException(Loaded.Value.Reason);

    public static NcclVersion Version
    {
        get
        {
            int code;
            Check(Api.GetVersion(&code), "ncclGetVersion", peersInvolved: false);
            return NcclVersion.Decode(code);
        }
    }

    /// <summary>A fresh id for a new communicator (rank 0 creates it and publishes its bytes for the others).</summary>
    public static NcclUniqueId CreateUniqueId()
    {
        NcclUniqueId id;
        Check(Api.GetUniqueId(&id), "ncclGetUniqueId", peersInvolved: false);
        return id;
    }

    public static string ErrorString(NcclResult result)
    {
        var text = Api.GetErrorString(result);
        return text is null ? "" : Marshal.PtrToStringUTF8((IntPtr)text) ?? "";
    }

    /// <summary>Throws the mapped exception (<see cref="NcclErrors.ToException"/>) unless <paramref name="result"/> is ncclSuccess.</summary>
    internal static void Check(NcclResult result, string call, bool peersInvolved)
    {
        if (result != NcclResult.Success) throw NcclErrors.ToException(call, result, ErrorString(result), peersInvolved);
    }
}
