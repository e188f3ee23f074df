using Cluster.Abstractions.Experiments;
using Cluster.Client.Connection;
using Cluster.Client.Views;

namespace Cluster.Client.Commands.Experiments;

/// <summary>Submits a prepared experiment and, unless detached, follows it to its end (what train and demo share).</summary>
internal static class ExperimentRun
{
    public static async Task<int> Submit(ClusterConnection connection, ExperimentSubmission.Prepared prepared, bool detach,
        bool json, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var log = json ? error : output;
        ClusterOptions.LogIfEmbedded(connection, log);
        var grain = connection.Client.GetGrain<IExperimentGrain>(prepared.Id);
        var submitted = await grain.Submit(prepared.Spec);
        output.WriteLine(prepared.Id);
        if (detach)
        {
            if (json) output.WriteLine(ExperimentJson.For(submitted));
            return 0;
        }
        return await Follow(connection, prepared.Id, json, output, error, cancellation);
    }

    /// <summary>
    /// Follows a run until it ends and prints where its results are; exit code as <see cref="CommandErrors.ForState"/>.
    /// Ctrl+C stops following; on the embedded silo, which ends with this process, it cancels the run first.
    /// </summary>
    public static async Task<int> Follow(ClusterConnection connection, string id, bool json, TextWriter output,
        TextWriter error, CancellationToken cancellation)
    {
        var log = json ? error : output;
        ExperimentStatus final;
        try
        {
            final = await ExperimentFollower.Follow(connection.Client, id, log, Consoles.IsInteractive(output, json), cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (!connection.IsEmbedded)
            {
                log.WriteLine($"stopped following {id}; it keeps running (cluster watch {id})");
                throw;
            }
            final = await connection.Client.GetGrain<IExperimentGrain>(id).Cancel("interrupted (Ctrl+C) with the embedded silo");
            final = await WaitForEnd(connection.Client, id, final, CancellationToken.None);
        }
        WriteResults(final, log);
        if (json) output.WriteLine(ExperimentJson.For(final));
        return CommandErrors.ForState(final.State);
    }

    /// <summary>Polls a cancelled run until its workers have stopped and it reached its terminal state.</summary>
    public static async Task<ExperimentStatus> WaitForEnd(IClusterClient client, string id, ExperimentStatus current,
        CancellationToken cancellation) =>
        current.State.IsTerminal() ? current : await ExperimentFollower.Poll(client, id, _ => { }, cancellation);

    public static void WriteResults(ExperimentStatus status, TextWriter log)
    {
        log.WriteLine($"{status.Id}: {status.State} {Format.Outcome(status)}");
        if (status.ArtifactsLocation is { } artifacts) log.WriteLine($"artifacts: {artifacts}");
        if (Checkpoints.Best(status) is { } best) log.WriteLine($"best checkpoint: {best.Uri}");
        if (Checkpoints.Latest(status) is { } latest) log.WriteLine($"latest checkpoint: {latest.Uri}");
        if (status.Metrics.Count > 0) log.WriteLine($"metrics: {Format.Metrics(status.Metrics)}  (history: cluster status {status.Id} --json)");
        if (status.Best is { } bestMetric) log.WriteLine($"best: {Format.Best(bestMetric)}");
    }
}
