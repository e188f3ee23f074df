using Cluster.Abstractions.Experiments;
using Cluster.Client.Views;

namespace Cluster.Client.Commands.Experiments;

/// <summary>Follows a run by polling <see cref="IExperimentGrain.GetStatus"/> (<see cref="StatusPoller"/>) until it ends.</summary>
internal static class ExperimentFollower
{
    /// <summary>Shows the run live on a terminal, else as plain lines; returns its final status.</summary>
    public static Task<ExperimentStatus> Follow(IClusterClient client, string id, TextWriter output, bool interactive,
        CancellationToken cancellation) =>
        LiveView.Follow<ExperimentStatus>(output, interactive, id, show => Poll(client, id, show, cancellation), ExperimentView.Render,
            new PlainProgressWriter(output).Show);

    public static Task<ExperimentStatus> Poll(IClusterClient client, string id, Action<ExperimentStatus> show,
        CancellationToken cancellation)
    {
        var grain = client.GetGrain<IExperimentGrain>(id);
        return StatusPoller.Poll(grain.GetStatus, status => status.State.IsTerminal(), show, cancellation);
    }
}
