namespace Cluster.Client.Commands;

/// <summary>
/// Follows a grain's status by polling it about twice a second until it is terminal. Polling, not a subscription, so it
/// survives the loss of the silo hosting the grain: calls fail for a while, then the grain reactivates elsewhere and
/// answers again. Experiments and sweeps are followed alike.
/// </summary>
internal static class StatusPoller
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>How long the cluster may fail to answer (a failover) before the client gives up following.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    public static async Task<T> Poll<T>(Func<Task<T>> get, Func<T, bool> isTerminal, Action<T> show, CancellationToken cancellation)
    {
        DateTime? failingSince = null;
        while (true)
        {
            T status;
            try
            {
                status = await get().WaitAsync(cancellation);
                failingSince = null;
            }
            catch (Exception e) when (IsTransient(e) && !cancellation.IsCancellationRequested)
            {
                failingSince ??= DateTime.UtcNow;
                if (DateTime.UtcNow - failingSince > Patience) throw;
                await Task.Delay(PollInterval, cancellation);
                continue;
            }
            show(status);
            if (isTerminal(status)) return status;
            await Task.Delay(PollInterval, cancellation);
        }
    }

    /// <summary>What a silo failover looks like to a client: rejected or timed-out calls, not a grain's own answer
    /// (an unknown id is a grain's answer and is not an <see cref="OrleansException"/>).</summary>
    private static bool IsTransient(Exception e) => e is OrleansException or TimeoutException;
}
