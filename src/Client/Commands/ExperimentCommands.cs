using System.CommandLine;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Client.Commands.Experiments;
using Cluster.Client.Views;
using Spectre.Console;

namespace Cluster.Client.Commands;

/// <summary>`cluster list | status | watch | cancel | logs`: what the cluster knows about its experiments.</summary>
internal static class ExperimentCommands
{
    public static IEnumerable<Command> Create(TextWriter output, TextWriter error) =>
        [List(output, error), Status(output, error), Watch(output, error), Cancel(output, error), Logs(output, error)];

    private static Command List(TextWriter output, TextWriter error)
    {
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var list = new Command("list", "List the cluster's experiments") { gateway, json };
        list.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var experiments = await connection.Client.GetGrain<IClusterRegistryGrain>(0).ListExperiments();
            if (parse.GetValue(json))
            {
                output.WriteLine(System.Text.Json.JsonSerializer.Serialize(experiments.Select(e => new Dictionary<string, object?>
                {
                    ["id"] = e.Id, ["config"] = e.ConfigName, ["status"] = e.State.ToString().ToLowerInvariant(), ["epoch"] = e.Epoch,
                    ["max_epochs"] = e.MaxEpochs, ["best"] = e.Best?.Value, ["best_metric"] = e.Best?.Name, ["created"] = e.CreatedAt,
                })));
                return 0;
            }
            Consoles.For(output, Consoles.IsInteractive(output, false)).Write(ClusterTables.Experiments(experiments));
            return 0;
        }, json, output);
        return list;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var id = ClusterOptions.ExperimentId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var status = new Command("status", "Show one experiment: state, workers, progress, metrics, checkpoints") { id, gateway, json };
        status.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var current = await connection.Client.GetGrain<IExperimentGrain>(parse.GetValue(id)!).GetStatus();
            if (parse.GetValue(json)) output.WriteLine(ExperimentJson.For(current));
            else StatusText.Write(current, output);
            return 0;
        }, json, output);
        return status;
    }

    private static Command Watch(TextWriter output, TextWriter error)
    {
        var id = ClusterOptions.ExperimentId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var watch = new Command("watch", "Follow an experiment live until it ends (exit 0 Completed, 1 Failed, 130 Cancelled)") { id, gateway, json };
        watch.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var experiment = parse.GetValue(id)!;
            await connection.Client.GetGrain<IExperimentGrain>(experiment).GetStatus(); // an unknown id fails here, once
            return await ExperimentRun.Follow(connection, experiment, parse.GetValue(json), output, error, cancellation);
        }, json, output);
        return watch;
    }

    private static Command Cancel(TextWriter output, TextWriter error)
    {
        var id = ClusterOptions.ExperimentId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var reason = new Option<string>("--reason") { Description = "Why (shown in status)", DefaultValueFactory = _ => "cancelled by the user" };
        var cancel = new Command("cancel", "Cancel an experiment (mid-epoch) and free its slots; prints the final state") { id, reason, gateway, json };
        cancel.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var experiment = parse.GetValue(id)!;
            var after = await connection.Client.GetGrain<IExperimentGrain>(experiment).Cancel(parse.GetValue(reason)!);
            var final = await ExperimentRun.WaitForEnd(connection.Client, experiment, after, cancellation);
            output.WriteLine(Format.StateLine(final));
            if (parse.GetValue(json)) output.WriteLine(ExperimentJson.For(final));
            return 0;
        }, json, output);
        return cancel;
    }

    private static Command Logs(TextWriter output, TextWriter error)
    {
        var id = ClusterOptions.ExperimentId();
        var gateway = ClusterOptions.Gateway();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until the run ends" };
        var logs = new Command("logs", "Print an experiment's log") { id, follow, gateway };
        logs.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var grain = connection.Client.GetGrain<IExperimentGrain>(parse.GetValue(id)!);
            const int PageSize = 500;
            int next = 0;
            while (true)
            {
                var page = await grain.GetLogs(next, PageSize);
                foreach (var line in page.Lines) output.WriteLine(line);
                next = page.NextLine;
                if (page.Lines.Count == PageSize) continue;
                if (!parse.GetValue(follow) || page.Ended) return 0;
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellation);
                }
                catch (OperationCanceledException)
                {
                    return 0;
                }
            }
        });
        return logs;
    }
}
