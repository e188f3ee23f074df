using System.CommandLine;
using Cluster.Abstractions.Registry;
using Cluster.Client.Views;
using Spectre.Console;

namespace Cluster.Client.Commands;

/// <summary>`cluster top`: silos, slots (free/busy) and running experiments, refreshed every second until Ctrl+C.</summary>
internal static class TopCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var gateway = ClusterOptions.Gateway();
        var once = new Option<bool>("--once") { Description = "Print one snapshot and return (always so when output is not a terminal)" };
        var top = new Command("top", "Show the cluster's silos, slots and running experiments") { once, gateway };
        top.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            var registry = connection.Client.GetGrain<IClusterRegistryGrain>(0);
            bool interactive = Consoles.IsInteractive(output, json: false);
            var console = Consoles.For(output, interactive);
            if (parse.GetValue(once) || !interactive)
            {
                console.Write(ClusterTables.Top(await registry.GetView(), await registry.ListExperiments()));
                return 0;
            }
            await console.Live(new Text("connecting")).StartAsync(async live =>
            {
                while (!cancellation.Token.IsCancellationRequested)
                {
                    live.UpdateTarget(ClusterTables.Top(await registry.GetView(), await registry.ListExperiments()));
                    live.Refresh();
                    try { await Task.Delay(TimeSpan.FromSeconds(1), cancellation.Token); }
                    catch (OperationCanceledException) { }
                }
            });
            return 0;
        }));
        return top;
    }
}
