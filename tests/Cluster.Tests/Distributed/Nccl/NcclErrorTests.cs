using Cluster.Training.Distributed;
using Cluster.Training.Distributed.Nccl;

namespace Cluster.Tests.Distributed.Nccl;

/// <summary>NCCL results become exceptions that tell the experiment whether re-forming the group can help.</summary>
public class NcclErrorTests
{
    [Fact]
    public void ARemoteErrorMeansAPeerIsGone()
    {
        var error = NcclErrors.ToException("ncclAllReduce", NcclResult.RemoteError, "remote process exited", peersInvolved: true);
        Assert.IsType<GroupFaultException>(error);
        Assert.Equal("ncclAllReduce failed: ncclRemoteError (6): remote process exited (a peer is gone)", error.Message);
    }

    [Fact]
    public void ASystemErrorIsAGroupFaultOnlyWhenPeersAreInvolved()
    {
        Assert.IsType<GroupFaultException>(NcclErrors.ToException("ncclGroupEnd", NcclResult.SystemError, "socket closed", peersInvolved: true));
        var local = Assert.IsType<NcclException>(NcclErrors.ToException("ncclGetUniqueId", NcclResult.SystemError, "no interface", peersInvolved: false));
        Assert.Equal(NcclResult.SystemError, local.Result);
        Assert.Equal("ncclGetUniqueId", local.Call);
    }

    [Theory]
    [InlineData(NcclResult.UnhandledCudaError, "ncclUnhandledCudaError (1)")]
    [InlineData(NcclResult.InternalError, "ncclInternalError (3)")]
    [InlineData(NcclResult.InvalidArgument, "ncclInvalidArgument (4)")]
    [InlineData(NcclResult.InvalidUsage, "ncclInvalidUsage (5)")]
    public void UsageCudaAndInternalErrorsFailTheRun(NcclResult result, string named)
    {
        var error = Assert.IsType<NcclException>(NcclErrors.ToException("ncclAllReduce", result, "what NCCL said", peersInvolved: true));
        Assert.Equal($"ncclAllReduce failed: {named}: what NCCL said", error.Message);
    }

    [Fact]
    public void SuccessIsNoErrorAndUnknownCodesAreNamedByNumber()
    {
        Assert.Throws<ArgumentException>(() => NcclErrors.ToException("ncclAllReduce", NcclResult.Success, "", peersInvolved: true));
        Assert.Equal("ncclResult 42", NcclErrors.ResultName((NcclResult)42));
    }

    [Fact]
    public void AsyncErrorsAreGroupFaults() =>
        Assert.Equal("NCCL communicator failed asynchronously: ncclRemoteError (6): peer gone",
            NcclErrors.AsyncError(NcclResult.RemoteError, "peer gone").Message);

    [Fact]
    public void ATimeoutWithoutAKnownPeerSaysSo()
    {
        var timeout = new CollectiveTimeoutException(-1, TimeSpan.FromSeconds(30), "NCCL all-reduce (mean)");
        Assert.Equal("NCCL all-reduce (mean): not finished within 30 s (a dead or hung worker; the backend cannot tell which)", timeout.Message);
        Assert.Equal("ring all-reduce: no message from rank 2 within 30 s (dead or hung worker)",
            new CollectiveTimeoutException(2, TimeSpan.FromSeconds(30), "ring all-reduce").Message);
    }
}
