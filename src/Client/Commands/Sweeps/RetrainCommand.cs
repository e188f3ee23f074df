using System.CommandLine;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Commands.Experiments;
using Cluster.Client.Reports;

namespace Cluster.Client.Commands.Sweeps;

/// <summary>
/// `cluster retrain --from-sweep &lt;id&gt;`: trains the sweep's best trial again as a new (data-parallel) experiment, with
/// its merged config (the trial's hyperparameters), optionally more epochs, more workers and a warm start from the
/// trial's best checkpoint; followed live like `cluster train`.
/// </summary>
internal static class RetrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var fromSweep = new Option<string>("--from-sweep") { Description = "The sweep whose best trial to retrain", Required = true };
        var workers = new Option<int?>("--workers") { Description = "Compute slots to train on data-parallel, at most (default: the trial config's workers, else 1)" };
        var minWorkers = new Option<int?>("--min-workers") { Description = "The fewest slots the run trains with (default: --workers)" };
        var epochs = new Option<int?>("--epochs") { Description = "Epochs to train (train_cfg.max_epochs; default: the trial's)" };
        var warmStart = new Option<bool>("--warm-start") { Description = "Start from the best trial's best checkpoint (load_from; a fresh schedule, not a resume)" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var detach = new Option<bool>("--detach") { Description = "Print the experiment id and return at once" };
        var gateway = ClusterOptions.Gateway();
        var retrain = new Command("retrain", "Train a sweep's best trial again as a new experiment, following it live")
        {
            fromSweep, workers, minWorkers, epochs, warmStart, set, detach, json, device, gateway,
        };
        retrain.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            // What can be checked without the cluster is, before connecting.
            if (parse.GetValue(epochs) is < 1) throw new ArgumentException($"--epochs {parse.GetValue(epochs)}: must be at least 1");
            if (parse.GetValue(workers) is < 1) throw new ArgumentException($"--workers {parse.GetValue(workers)}: must be at least 1");
            ExperimentSubmission.DeviceKind(parse.GetValue(device));
            var log = parse.GetValue(json) ? error : output;
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            var sweepGrain = connection.Client.GetGrain<ISweepGrain>(parse.GetValue(fromSweep)!);
            var sweep = await sweepGrain.GetStatus();
            var best = RetrainPlan.BestTrial(sweep);
            var overrides = RetrainPlan.Overrides(sweep, best, parse.GetValue(epochs), parse.GetValue(warmStart), parse.GetValue(set) ?? []);
            var config = await sweepGrain.GetTrialConfig(best.TrialId);
            var prepared = ExperimentSubmission.PrepareMerged(config, $"{sweep.Name}-best", overrides, parse.GetValue(workers),
                parse.GetValue(device), Directory.GetCurrentDirectory(), parse.GetValue(minWorkers));
            log.WriteLine(FormattableString.Invariant($"retraining {best.TrialId} ({sweep.Metric} {best.Metric:0.0000}): ") +
                          string.Join(" ", best.Parameters.Select(p => $"{p.Key}={p.Value}")));
            return await ExperimentRun.Submit(connection, prepared, parse.GetValue(detach), parse.GetValue(json), output, error,
                cancellation.Token);
        }, parse.GetValue(json) ? output : null));
        return retrain;
    }
}
