using Cluster.Abstractions.Experiments;
using Cluster.Client.Views;
using Spectre.Console;

namespace Cluster.Client.Commands.Experiments;

/// <summary>
/// Follows a run by polling <see cref="IExperimentGrain.GetStatus"/> about twice a second until it ends. Polling, not a
/// subscription, so it survives the loss of the silo hosting the grain: calls fail for a while, then the grain
/// reactivates elsewhere and answers again.
/// </summary>
internal static class ExperimentFollower
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);
    /// <summary>How long the cluster may fail to answer (a failover) before the client gives up following.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>Shows the run live on a terminal, else as plain lines; returns its final status.</summary>
    public static async Task<ExperimentStatus> Follow(IClusterClient client, string id, TextWriter output, bool interactive,
        CancellationToken cancellation)
    {
        if (!interactive)
        {
            var plain = new PlainProgressWriter(output);
            return await Poll(client, id, plain.Show, cancellation);
        }
        var console = Consoles.For(output, interactive: true);
        ExperimentStatus? final = null;
        await console.Live(new Text($"{id}: connecting")).AutoClear(false).StartAsync(async live =>
        {
            final = await Poll(client, id, status =>
            {
                live.UpdateTarget(ExperimentView.Render(status));
                live.Refresh();
            }, cancellation);
        });
        return final!;
    }

    public static async Task<ExperimentStatus> Poll(IClusterClient client, string id, Action<ExperimentStatus> show,
        CancellationToken cancellation)
    {
        var grain = client.GetGrain<IExperimentGrain>(id);
        DateTime? failingSince = null;
        while (true)
        {
            ExperimentStatus status;
            try
            {
                status = await grain.GetStatus().WaitAsync(cancellation);
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
            if (status.State.IsTerminal()) return status;
            await Task.Delay(PollInterval, cancellation);
        }
    }

    /// <summary>What a silo failover looks like to a client: rejected or timed-out calls, not a grain's own answer.</summary>
    private static bool IsTransient(Exception e) =>
        e is OrleansException or TimeoutException && e is not UnknownExperimentException;
}
