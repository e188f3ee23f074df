using Cluster.Abstractions.Sweeps;
using Cluster.Client.Connection;
using Cluster.Client.Reports;
using Cluster.Client.Views;

namespace Cluster.Client.Commands.Sweeps;

/// <summary>Submits a prepared sweep and, unless detached, follows it to its end (what submit and watch share).</summary>
internal static class SweepRun
{
    public static async Task<int> Submit(ClusterConnection connection, SweepPreparation.Prepared prepared, bool detach, bool json,
        TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        var log = json ? error : output;
        ClusterOptions.LogIfEmbedded(connection, log);
        var submitted = await connection.Client.GetGrain<ISweepGrain>(prepared.Id).Submit(prepared.Submission);
        output.WriteLine(prepared.Id);
        if (detach)
        {
            if (json) output.WriteLine(Json(submitted));
            return 0;
        }
        return await Follow(connection, prepared.Id, json, output, error, cancellation);
    }

    /// <summary>
    /// Follows a sweep until it ends: a live table on a terminal, else plain lines. Exit 0 Completed, 1 Failed,
    /// 130 Cancelled. Ctrl+C stops following; on the embedded silo, which ends with this process, it cancels the sweep.
    /// </summary>
    public static async Task<int> Follow(ClusterConnection connection, string id, bool json, TextWriter output, TextWriter error,
        CancellationToken cancellation)
    {
        var log = json ? error : output;
        bool interactive = Consoles.IsInteractive(output, json);
        SweepStatus final;
        try
        {
            final = await Show(connection.Client, id, log, interactive, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            if (!connection.IsEmbedded)
            {
                log.WriteLine($"stopped following {id}; it keeps running (cluster sweep watch {id})");
                throw;
            }
            var after = await connection.Client.GetGrain<ISweepGrain>(id).Cancel("interrupted (Ctrl+C) with the embedded silo");
            final = await WaitForEnd(connection.Client, id, after, CancellationToken.None);
            log.WriteLine(SweepView.StateLine(final));
        }
        log.WriteLine($"report: cluster sweep report {id} --out <dir>");
        if (json) output.WriteLine(Json(final));
        return ExitCode(final.State);
    }

    private static Task<SweepStatus> Show(IClusterClient client, string id, TextWriter output, bool interactive,
        CancellationToken cancellation) =>
        LiveView.Follow<SweepStatus>(output, interactive, id, show => Poll(client, id, show, cancellation), SweepView.Render,
            new PlainSweepWriter(output).Show);

    public static Task<SweepStatus> Poll(IClusterClient client, string id, Action<SweepStatus> show, CancellationToken cancellation) =>
        StatusPoller.Poll(client.GetGrain<ISweepGrain>(id).GetStatus, s => s.State.IsTerminal(), show, cancellation);

    /// <summary>Polls a cancelled sweep until its trials have stopped and it reached its terminal state.</summary>
    public static async Task<SweepStatus> WaitForEnd(IClusterClient client, string id, SweepStatus current, CancellationToken cancellation) =>
        current.State.IsTerminal() ? current : await Poll(client, id, _ => { }, cancellation);

    public static int ExitCode(SweepState state) => state switch
    {
        SweepState.Completed => 0,
        SweepState.Cancelled => CommandErrors.Cancelled,
        _ => CommandErrors.Failed,
    };

    /// <summary>The one-line JSON of a sweep that <c>--json</c> prints last (the report's results.json on one line).</summary>
    public static string Json(SweepStatus status) => ResultsJson.Write(SweepTable.From(status), indented: false);
}
