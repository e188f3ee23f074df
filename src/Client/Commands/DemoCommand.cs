using System.CommandLine;
using Cluster.Client.Commands.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;
using Cluster.Training.Synthetic;

namespace Cluster.Client.Commands;

/// <summary>
/// `cluster demo`: makes the synthetic set A if it is missing, then trains configs/demo/tsn_tiny_synth.yaml on the
/// cluster (the embedded silo unless one is configured) with live progress and says where the checkpoints and metrics
/// are. `--in-process` trains without a cluster, into a work_dir.
/// </summary>
internal static class DemoCommand
{
    public const string DemoConfig = "configs/demo/tsn_tiny_synth.yaml";
    public static readonly SynthOptions DemoData = new() { OutDir = "data/synth_a", Classes = 8, VideosPerClass = 40, Seed = 1 };

    public static Command Create(TextWriter output, TextWriter error)
    {
        var json = CommonOptions.Json();
        var set = CommonOptions.Set();
        var device = CommonOptions.Device();
        var gateway = ClusterOptions.Gateway();
        var inProcess = new Option<bool>("--in-process") { Description = "Train in this process into a work_dir, without a cluster" };
        var workDir = new Option<string?>("--work-dir") { Description = "With --in-process: where checkpoints and logs go (default: work_dirs/tsn_tiny_synth)" };
        var demo = new Command("demo", "Make a synthetic dataset and train a tiny TSN on it, with live progress")
        {
            json, set, device, gateway, inProcess, workDir,
        };
        demo.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            var log = parse.GetValue(json) ? error : output;
            if (!parse.GetValue(inProcess) && parse.GetValue(workDir) is { } dir)
                throw new ArgumentException($"--work-dir {dir}: only with --in-process; a cluster run keeps its files in the artifact store");
            EnsureDataset(DemoData, log);
            if (parse.GetValue(inProcess))
            {
                var document = ConfigLoader.Load(BundledConfig(DemoConfig), parse.GetValue(set) ?? []);
                var job = TrainingJob.Prepare(document, parse.GetValue(workDir), parse.GetValue(device));
                return TrainingRun.Execute(job, output, error, parse.GetValue(json));
            }
            var prepared = ExperimentSubmission.Prepare(BundledConfig(DemoConfig), parse.GetValue(set) ?? [], workers: 1,
                parse.GetValue(device), Directory.GetCurrentDirectory());
            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            return await ExperimentRun.Submit(connection, prepared, detach: false, parse.GetValue(json), output, error, cancellation.Token);
        }, parse.GetValue(json) ? output : null));
        return demo;
    }

    internal static void EnsureDataset(SynthOptions options, TextWriter log)
    {
        if (File.Exists(Path.Combine(options.OutDir, "train_list.txt")) && File.Exists(Path.Combine(options.OutDir, "val_list.txt")))
        {
            log.WriteLine($"dataset: {Path.GetFullPath(options.OutDir)} (exists)");
            return;
        }
        var result = UcfSynthesizer.Generate(options);
        log.WriteLine($"dataset: wrote {result.TrainVideos} train + {result.ValVideos} val videos of {result.Classes.Count} classes to {Path.GetFullPath(result.OutDir)}");
    }

    /// <summary>The shipped configs travel with the binary (copied to its output folder).</summary>
    internal static string BundledConfig(string relativePath) => Path.Combine(AppContext.BaseDirectory, relativePath);
}
