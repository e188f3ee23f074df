using System.CommandLine;
using System.Text.Json;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Reports;
using Cluster.Client.Views;
using Spectre.Console;

namespace Cluster.Client.Commands.Sweeps;

/// <summary>`cluster sweep submit | watch | status | list | cancel | report`: hyperparameter sweeps on the cluster.</summary>
internal static class SweepCommands
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var sweep = new Command("sweep", "Hyperparameter sweeps: submit a spec, follow its trials, report the results");
        foreach (var command in new[] { Submit(output, error), Watch(output, error), Status(output, error), List(output, error),
                     Cancel(output, error), Report(output, error) })
            sweep.Subcommands.Add(command);
        return sweep;
    }

    private static Argument<string> SweepId() => new("id") { Description = "Sweep id (as sweep submit printed it, or from cluster sweep list)" };

    private static Command Submit(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("spec") { Description = "Sweep spec (a config with search_space and sweep sections)" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var detach = new Option<bool>("--detach") { Description = "Print the sweep id and return at once" };
        var gateway = ClusterOptions.Gateway();
        var submit = new Command("submit", "Check a sweep spec here, submit it and follow its trials live (exit 0 Completed, 1 Failed, 130 Cancelled)")
        {
            file, set, detach, json, device, gateway,
        };
        submit.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            var prepared = SweepPreparation.Prepare(parse.GetValue(file)!, parse.GetValue(set) ?? [], parse.GetValue(device),
                Directory.GetCurrentDirectory());
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            return await SweepRun.Submit(connection, prepared, parse.GetValue(detach), parse.GetValue(json), output, error, cancellation.Token);
        }, parse.GetValue(json) ? output : null));
        return submit;
    }

    private static Command Watch(TextWriter output, TextWriter error)
    {
        var id = SweepId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var watch = new Command("watch", "Follow a sweep's trials live until it ends (exit 0 Completed, 1 Failed, 130 Cancelled)") { id, gateway, json };
        watch.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var sweep = parse.GetValue(id)!;
            await connection.Client.GetGrain<ISweepGrain>(sweep).GetStatus(); // an unknown id fails here, once
            return await SweepRun.Follow(connection, sweep, parse.GetValue(json), output, error, cancellation);
        }, json, output);
        return watch;
    }

    private static Command Status(TextWriter output, TextWriter error)
    {
        var id = SweepId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var status = new Command("status", "Show a sweep: its trials with parameters, state, epoch and metric, and the best") { id, gateway, json };
        status.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var current = await connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!).GetStatus();
            if (parse.GetValue(json)) output.WriteLine(SweepRun.Json(current));
            else Consoles.For(output, Consoles.IsInteractive(output, false)).Write(SweepView.Render(current));
            return 0;
        }, json, output);
        return status;
    }

    private static Command List(TextWriter output, TextWriter error)
    {
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var list = new Command("list", "List the cluster's sweeps") { gateway, json };
        list.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var sweeps = await connection.Client.GetGrain<ISweepIndexGrain>(0).List();
            if (parse.GetValue(json))
            {
                output.WriteLine(JsonSerializer.Serialize(sweeps.OrderBy(s => s.CreatedAt).Select(s => new Dictionary<string, object?>
                {
                    ["id"] = s.Id, ["name"] = s.Name, ["status"] = s.State.ToString().ToLowerInvariant(), ["trials"] = s.Trials,
                    ["completed_trials"] = s.CompletedTrials, ["running_trials"] = s.RunningTrials, ["metric"] = s.Metric,
                    ["best_trial"] = s.BestTrialId, ["best"] = s.BestMetric, ["created"] = s.CreatedAt, ["ended"] = s.EndedAt,
                })));
                return 0;
            }
            Consoles.For(output, Consoles.IsInteractive(output, false)).Write(SweepTables.List(sweeps));
            return 0;
        }, json, output);
        return list;
    }

    private static Command Cancel(TextWriter output, TextWriter error)
    {
        var id = SweepId();
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var reason = new Option<string>("--reason") { Description = "Why (shown in status)", DefaultValueFactory = _ => "cancelled by the user" };
        var cancel = new Command("cancel", "Cancel a sweep: its running trials are cancelled, no new ones start; prints the final state")
        {
            id, reason, gateway, json,
        };
        cancel.SetClusterAction(gateway, error, async (parse, connection, cancellation) =>
        {
            var sweep = parse.GetValue(id)!;
            var after = await connection.Client.GetGrain<ISweepGrain>(sweep).Cancel(parse.GetValue(reason)!);
            var final = await SweepRun.WaitForEnd(connection.Client, sweep, after, cancellation);
            output.WriteLine(SweepView.StateLine(final));
            if (parse.GetValue(json)) output.WriteLine(SweepRun.Json(final));
            return 0;
        }, json, output);
        return cancel;
    }

    private static Command Report(TextWriter output, TextWriter error)
    {
        var id = SweepId();
        var gateway = ClusterOptions.Gateway();
        var outDir = new Option<string>("--out") { Description = "Folder for results.csv, results.json and the PNG plots (created if missing)", Required = true };
        var report = new Command("report", "Write a sweep's results (CSV, JSON) and plots (learning curves, each parameter vs the metric)")
        {
            id, outDir, gateway,
        };
        report.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            var target = parse.GetValue(outDir)!;
            if (File.Exists(target)) throw new ArgumentException($"--out {target}: is a file; name a folder");
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            var status = await connection.Client.GetGrain<ISweepGrain>(parse.GetValue(id)!).GetStatus();
            foreach (var path in SweepReport.Write(status, target)) output.WriteLine(path);
            if (!status.State.IsTerminal()) error.WriteLine($"note: {status.Id} is still {status.State}; the report is a snapshot");
            return 0;
        }));
        return report;
    }
}
