using Cluster.Abstractions.Experiments;
using Cluster.Client.Views;
using Spectre.Console;

namespace Cluster.Client.Commands.Experiments;

/// <summary>Follows a run by polling <see cref="IExperimentGrain.GetStatus"/> (<see cref="StatusPoller"/>) until it ends.</summary>
internal static class ExperimentFollower
{
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

    public static Task<ExperimentStatus> Poll(IClusterClient client, string id, Action<ExperimentStatus> show,
        CancellationToken cancellation)
    {
        var grain = client.GetGrain<IExperimentGrain>(id);
        return StatusPoller.Poll(grain.GetStatus, status => status.State.IsTerminal(), show, cancellation);
    }
}
