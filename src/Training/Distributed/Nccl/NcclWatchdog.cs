namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// Watches one communicator from its own thread, as PyTorch's NCCL watchdog does: polls <c>ncclCommGetAsyncError</c>,
/// and aborts the communicator when an error shows up or when the collective in flight runs past the timeout. The
/// abort is what makes a hung native call or a kernel waiting for a dead peer return; the training thread then throws
/// <see cref="Fault"/> (a <see cref="GroupFaultException"/>) instead of whatever the aborted call reported. A stopped
/// run (<c>stop</c> cancelled) aborts it the same way and the waiting call throws <see cref="OperationCanceledException"/>.
/// </summary>
internal sealed class NcclWatchdog : IDisposable
{
    private readonly IAbortableCommunicator communicator;
    private readonly TimeSpan timeout;
    private readonly TimeSpan pollInterval;
    private readonly CancellationToken stop;
    private readonly object gate = new();
    private readonly Thread thread;
    private readonly ManualResetEventSlim stopping = new();
    private readonly ManualResetEventSlim published = new();
    private string? operation;
    private DateTime deadline;
    // Set before the abort (an error the aborted call reports is caused by it), published once the abort returned.
    private volatile Exception? aborting;
    private volatile Exception? fault;

    public NcclWatchdog(IAbortableCommunicator communicator, TimeSpan timeout, TimeSpan pollInterval,
        CancellationToken stop = default)
    {
        this.communicator = communicator;
        this.timeout = timeout;
        this.pollInterval = pollInterval;
        this.stop = stop;
        thread = new Thread(Watch) { IsBackground = true, Name = "NCCL watchdog" };
        thread.Start();
    }

    /// <summary>
    /// Why the communicator was aborted (a <see cref="GroupFaultException"/>, or an <see cref="OperationCanceledException"/>
    /// when the run stopped); null while it is healthy.
    /// </summary>
    public Exception? Fault => fault;

    /// <summary>
    /// Runs <paramref name="enqueue"/> (the NCCL calls) then waits until <paramref name="finished"/> says the device
    /// work is done, under the timeout. Throws <see cref="Fault"/> once the watchdog has aborted the communicator.
    /// </summary>
    public void Run(string name, Action enqueue, Func<bool> finished)
    {
        if (fault is { } earlier) throw earlier;
        lock (gate)
        {
            operation = name;
            deadline = DateTime.UtcNow + timeout;
        }
        try
        {
            enqueue();
            var spin = new SpinWait();
            while (!finished())
            {
                if (fault is { } during) throw during;
                if (spin.NextSpinWillYield) Thread.Sleep(1);
                else spin.SpinOnce();
            }
            if (fault is { } late) throw late;
        }
        catch (Exception error) when (FaultBehind(error) is { } cause)
        {
            throw cause;
        }
        finally
        {
            lock (gate) operation = null;
        }
    }

    /// <summary>The watchdog's fault when it caused <paramref name="error"/>: an aborted call may fail before the
    /// abort returned, so an abort under way is waited for.</summary>
    private Exception? FaultBehind(Exception error)
    {
        if (aborting is null) return null;
        published.Wait();
        return ReferenceEquals(error, fault) ? null : fault;
    }

    private void Watch()
    {
        while (!stopping.Wait(pollInterval))
        {
            Exception? found;
            try
            {
                found = Check();
            }
            catch (Exception error)
            {
                found = new GroupFaultException($"NCCL watchdog could not query the communicator: {error.Message}", error);
            }
            if (found is null) continue;
            // Abort before publishing the fault: the training thread throws as soon as it sees the fault, and must not
            // go on to use (or free) a communicator that is not aborted yet.
            aborting = found;
            try
            {
                communicator.Abort();
            }
            finally
            {
                fault = found;
                published.Set();
            }
            return;
        }
    }

    private Exception? Check()
    {
        if (stop.IsCancellationRequested) return new OperationCanceledException("the run was stopped", stop);
        var error = communicator.AsyncError();
        if (error is not (NcclResult.Success or NcclResult.InProgress))
            return NcclErrors.AsyncError(error, SafeErrorString(error));
        lock (gate)
            return operation is { } name && DateTime.UtcNow > deadline
                ? new CollectiveTimeoutException(-1, timeout, name)
                : null;
    }

    private static string SafeErrorString(NcclResult error) =>
        NcclLibrary.IsAvailable ? NcclLibrary.ErrorString(error) : NcclErrors.ResultName(error);

    public void Dispose()
    {
        stopping.Set();
        thread.Join();
        stopping.Dispose();
        published.Dispose();
    }
}
