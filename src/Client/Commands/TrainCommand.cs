using System.CommandLine;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands;

/// <summary>`cluster train <config>`: trains in process with live progress (the cluster path comes with the silo).</summary>
internal static class TrainCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("config") { Description = "Config file (YAML or JSON)" };
        var workDir = new Option<string?>("--work-dir") { Description = "Where checkpoints and logs go (default: work_dirs/<config name>)" };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var train = new Command("train", "Train a model from a config") { file, workDir, set, json, device };
        train.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var document = ConfigLoader.Load(parse.GetValue(file)!, parse.GetValue(set) ?? []);
            var job = TrainingJob.Prepare(document, parse.GetValue(workDir), parse.GetValue(device));
            return TrainingRun.Execute(job, output, error, parse.GetValue(json));
        }, parse.GetValue(json) ? output : null));
        return train;
    }
}
