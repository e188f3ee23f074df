namespace Cluster.Training.Distributed.Nccl;

/// <summary>An NCCL call failed in a way a re-formed group would not fix (bad argument, CUDA or internal error).</summary>
public sealed class NcclException(string call, NcclResult result, string message)
    : Exception(NcclErrors.Describe(call, result, message))
{
    public string Call { get; } = call;
    public NcclResult Result { get; } = result;
}

/// <summary>
/// NCCL itself (libnccl.so.2) or the CUDA driver it needs cannot be loaded on this machine: the group cannot use the
/// nccl backend here (use ring).
/// </summary>
public sealed class NcclUnavailableException(string reason)
    : Exception($"NCCL (libnccl.so.2) is not available: {reason}");

/// <summary>Which NCCL results mean "the group is broken" (retryable) and which mean "this run is wrong" (not).</summary>
public static class NcclErrors
{
    public static string Describe(string call, NcclResult result, string message) =>
        $"{call} failed: {ResultName(result)} ({(int)result}): {message}";

    /// <summary>
    /// The exception for a failed <paramref name="call"/>. A remote error (a peer died or closed its connection) always
    /// breaks the group; a system error (socket, process) does too once the communicator exists or while it forms,
    /// since it is how a vanished peer shows up there. Everything else is a usage, CUDA or internal error.
    /// </summary>
    public static Exception ToException(string call, NcclResult result, string message, bool peersInvolved)
    {
        if (result == NcclResult.Success) throw new ArgumentException("ncclSuccess is not an error", nameof(result));
        bool peerGone = result == NcclResult.RemoteError || (peersInvolved && result == NcclResult.SystemError);
        return peerGone
            ? new GroupFaultException($"{Describe(call, result, message)} (a peer is gone)")
            : new NcclException(call, result, message);
    }

    /// <summary>An error <c>ncclCommGetAsyncError</c> reported: a collective in flight failed, the group is broken.</summary>
    public static GroupFaultException AsyncError(NcclResult result, string message) =>
        new($"NCCL communicator failed asynchronously: {ResultName(result)} ({(int)result}): {message}");

    public static string ResultName(NcclResult result) => Enum.IsDefined(result) ? $"nccl{result}" : $"ncclResult {(int)result}";
}
