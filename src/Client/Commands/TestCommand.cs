using System.CommandLine;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands;

/// <summary>`cluster test <config> --checkpoint FILE`: evaluates on the config's test set (multi-view averaging).</summary>
internal static class TestCommand
{
    public static Command Create(TextWriter output, TextWriter error)
    {
        var file = new Argument<string>("config") { Description = "Config file (YAML or JSON)" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "Checkpoint (.pth path, or a blob URI of the cluster's artifact store) to evaluate", Required = true };
        var set = CommonOptions.Set();
        var json = CommonOptions.Json();
        var device = CommonOptions.Device();
        var test = new Command("test", "Evaluate a checkpoint on the config's test set") { file, checkpoint, set, json, device };
        test.SetAction(parse => CommandErrors.Run(error, () =>
        {
            var document = ConfigLoader.Load(parse.GetValue(file)!, parse.GetValue(set) ?? []);
            var path = parse.GetValue(checkpoint)!;
            var job = TestJob.Prepare(document, CheckpointReference.Resolve(path), parse.GetValue(device));
            var log = parse.GetValue(json) ? error : output;
            var metrics = job.Run(new ConsoleProgressPrinter(log));
            log.WriteLine($"Epoch(test)  {ConsoleProgressPrinter.FormatMetrics(DetectionMetricsTable.Summary(metrics))}");
            DetectionMetricsTable.Write(log, metrics);
            if (parse.GetValue(json)) output.WriteLine(ResultJson.ForTest(metrics, path));
            return 0;
        }, parse.GetValue(json) ? output : null));
        return test;
    }
}
