using Cluster.Training.Distributed;
using Cluster.Training.Distributed.Nccl;

namespace Cluster.Tests.Distributed.Nccl;

/// <summary>The watchdog aborts the communicator on an async error or a collective past its timeout (no GPU: a fake communicator).</summary>
public class NcclWatchdogTests
{
    private sealed class FakeCommunicator : IAbortableCommunicator
    {
        public volatile NcclResult Error = NcclResult.Success;
        public readonly ManualResetEventSlim Aborted = new();

        public TimeSpan AbortTakes = TimeSpan.Zero;

        public NcclResult AsyncError() => Error;

        public void Abort()
        {
            Aborted.Set(); // a call waiting on the communicator fails from here on, before Abort returns
            Thread.Sleep(AbortTakes);
        }
    }

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(5);

    [Fact]
    public void ACollectiveThatNeverFinishesIsAbortedAndReportedAsATimeout()
    {
        var communicator = new FakeCommunicator();
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromMilliseconds(50), Poll);

        var error = Assert.Throws<CollectiveTimeoutException>(() => watchdog.Run("NCCL all-reduce (mean)", () => { }, () => false));
        Assert.True(communicator.Aborted.IsSet);
        Assert.Equal(-1, error.PeerRank);
        Assert.StartsWith("NCCL all-reduce (mean): not finished within", error.Message);
        // The communicator is gone: later collectives fail at once with the same fault.
        Assert.Same(error, Assert.Throws<CollectiveTimeoutException>(() => watchdog.Run("next", () => { }, () => true)));
    }

    [Fact]
    public void AnAsyncErrorAbortsAndReplacesTheErrorOfTheAbortedCall()
    {
        var communicator = new FakeCommunicator();
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromHours(1), Poll);

        var error = Assert.Throws<GroupFaultException>(() => watchdog.Run("NCCL all-reduce (sum)", () =>
        {
            communicator.Error = NcclResult.RemoteError;
            Assert.True(communicator.Aborted.Wait(TimeSpan.FromSeconds(30)), "the watchdog did not abort");
            throw new NcclException("ncclAllReduce", NcclResult.InvalidUsage, "aborted communicator");
        }, () => true));
        Assert.StartsWith("NCCL communicator failed asynchronously: ncclRemoteError (6)", error.Message);
    }

    [Fact]
    public void A_call_that_fails_while_the_abort_is_still_running_reports_the_watchdogs_fault()
    {
        var communicator = new FakeCommunicator { AbortTakes = TimeSpan.FromMilliseconds(300) };
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromHours(1), Poll);

        var error = Assert.Throws<GroupFaultException>(() => watchdog.Run("NCCL all-reduce (sum)", () =>
        {
            communicator.Error = NcclResult.SystemError;
            Assert.True(communicator.Aborted.Wait(TimeSpan.FromSeconds(30)), "the watchdog did not abort");
            throw new NcclException("ncclAllReduce", NcclResult.InvalidUsage, "aborted communicator");
        }, () => true));
        Assert.StartsWith("NCCL communicator failed asynchronously: ncclSystemError (2)", error.Message);
    }

    [Fact]
    public void AStoppedRunAbortsTheWaitingCollectiveWithACancellation()
    {
        var communicator = new FakeCommunicator();
        using var stop = new CancellationTokenSource();
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromHours(1), Poll, stop.Token);

        var error = Assert.ThrowsAny<OperationCanceledException>(() => watchdog.Run("NCCL all-reduce (mean)", stop.Cancel, () => false));
        Assert.Equal(stop.Token, error.CancellationToken);
        Assert.True(communicator.Aborted.IsSet);
    }

    [Fact]
    public void HealthyCollectivesFinishWithoutAnAbort()
    {
        var communicator = new FakeCommunicator();
        using var watchdog = new NcclWatchdog(communicator, TimeSpan.FromHours(1), Poll);
        int polls = 0;
        for (int i = 0; i < 3; i++) watchdog.Run("op", () => { }, () => ++polls % 4 == 0);
        Assert.Equal(12, polls);
        Assert.False(communicator.Aborted.IsSet);
        Assert.Null(watchdog.Fault);
    }
}
