using System.CommandLine;
using Cluster.Client.Commands.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands;

/// <summary>
/// `cluster train &lt;config&gt;`: submits the merged config to the cluster and follows it live (exit 0 Completed,
/// 1 Failed, 130 Cancelled); `--in-process` trains in this process into a work_dir instead, without any cluster.
/// </summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("config") { Description = "Config file (YAML or JSON)" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var workers = new Option<int?>("--workers") { Description = "Compute slots to train on data-parallel, at most (default: the config's workers / max_workers, else 1)" };
        var minWorkers = new Option<int?>("--min-workers") { Description = "The fewest slots the run trains with; below it, it waits (default: the config's min_workers, else --workers)" };
        var detach = new Option<bool>("--detach") { Description = "Print the experiment id and return at once" };
        var gateway = ClusterOptions.Gateway();
        var inProcess = new Option<bool>("--in-process") { Description = "Train in this process into a work_dir, without a cluster" };
        var workDir = new Option<string?>("--work-dir") { Description = "With --in-process: where checkpoints and logs go (default: work_dirs/<config name>)" };
        var train = new Command("train", "Train a model from a config on the cluster, following it live")
        {
            file, set, workers, minWorkers, detach, json, device, gateway, inProcess, workDir,
        };
        train.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            if (parse.GetValue(inProcess))
            {
                var document = ConfigLoader.Load(parse.GetValue(file)!, parse.GetValue(set) ?? []);
                var job = TrainingJob.Prepare(document, parse.GetValue(workDir), parse.GetValue(device));
                return TrainingRun.Execute(job, output, error, parse.GetValue(json));
            }
            if (parse.GetValue(workDir) is { } dir)
                throw new ArgumentException($"--work-dir {dir}: only with --in-process; a cluster run keeps its files in the artifact store");
            var prepared = ExperimentSubmission.Prepare(parse.GetValue(file)!, parse.GetValue(set) ?? [], parse.GetValue(workers),
                parse.GetValue(device), Directory.GetCurrentDirectory(), parse.GetValue(minWorkers));
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            return await ExperimentRun.Submit(connection, prepared, parse.GetValue(detach), parse.GetValue(json), output, error,
                cancellation.Token);
        }, parse.GetValue(json) ? output : null));
        return train;
    }
}
