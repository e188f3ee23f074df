using System.Globalization;
using Cluster.Abstractions.Experiments;
using Cluster.Tests.Client;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Checkpoints;
using Cluster.Training.Storage;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// What the data-parallel acceptance tests share: a short deterministic config on a tiny synthetic set, submitting it to
/// a <see cref="LocalCluster"/> through the real <c>cluster</c> client, polling the experiment, and reading checkpoints
/// back from the cluster's blob store.
/// </summary>
internal static class DataParallelRuns
{
    /// <summary>
    /// The demo TSN (ResNet-18 at 1/8 width) made batch-size independent and deterministic: BatchNorm in eval mode
    /// (norm_eval: running statistics, so a worker's half batch normalises like the whole batch), no dropout, no random
    /// augmentation (centre crops, no flip), one loader thread. <paramref name="group"/> is extra top-level YAML
    /// (workers, min_workers, distributed). <paramref name="normEval"/> false trains BatchNorm on batch statistics
    /// (batch-size dependent unless the group uses SyncBN). Returns the config file, written into the data set's folder.
    /// </summary>
    public static string WriteConfig(DemoDataset data, string name, int batchSize, int epochs, string group = "", bool normEval = true)
    {
        string demo = DemoDataset.Config("demo/tsn_tiny_synth.yaml");
        string Loader(string split, string list, int batch) => $$"""
            {{split}}_dataloader:
              batch_size: {{batch}}
              num_workers: 1
              dataset:
                ann_file: {{list}}
                data_prefix: {video: {{data.Result.VideoDir}}}
                pipeline:
                  - {type: DecordInit, io_backend: disk}
                  - {type: SampleFrames, clip_len: 1, frame_interval: 1, num_clips: 3, test_mode: true}
                  - {type: DecordDecode}
                  - {type: Resize, scale: [-1, 72]}
                  - {type: CenterCrop, crop_size: 64}
                  - {type: FormatShape, input_format: NCHW}
                  - {type: PackActionInputs}
            """;
        string yaml = string.Join('\n',
            $"_base_: {demo}",
            group,
            "model:",
            $"  backbone: {{norm_eval: {(normEval ? "true" : "false")}}}",
            $"  cls_head: {{num_classes: {data.Result.Classes.Count}, dropout_ratio: 0}}",
            Loader("train", data.Result.TrainList!, batchSize),
            Loader("val", data.Result.ValList!, 4),
            Loader("test", data.Result.ValList!, 1),
            $"train_cfg: {{max_epochs: {epochs}}}",
            "param_scheduler:",
            $"  - {{type: MultiStepLR, begin: 0, end: {epochs}, by_epoch: true, milestones: [{epochs + 1}], gamma: 0.1}}",
            "default_hooks:",
            "  logger: {interval: 1}",
            "  checkpoint: {interval: 1, save_best: null, max_keep_ckpts: -1}",
            "");
        string path = Path.Combine(data.Root, name + ".yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    /// <summary>Submits through <c>cluster train --detach --json</c>; returns the experiment id.</summary>
    public static string Submit(string gateways, string config, params string[] sets)
    {
        var submit = CliRunner.Run(["train", config, "--gateway", gateways, "--device", "cpu", "--detach", "--json",
            .. sets.SelectMany(s => new[] { "--set", s })]);
        if (submit.ExitCode != 0) throw new InvalidOperationException($"cluster train exited {submit.ExitCode}: {submit.Error}");
        return submit.OutputLines[0];
    }

    /// <summary>Polls the experiment grain (which reactivates elsewhere after a failover) until the condition holds;
    /// a liveness bound only, not a timing assertion.</summary>
    public static async Task<ExperimentStatus> WaitFor(LocalCluster cluster, string id, Func<ExperimentStatus, bool> done,
        string what, double minutes = 3, bool terminalIsFailure = true)
    {
        var grain = cluster.Client.GetGrain<IExperimentGrain>(id);
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        Exception? last = null;
        ExperimentStatus? seen = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                seen = await grain.GetStatus();
                if (done(seen)) return seen;
                if (terminalIsFailure && seen.State.IsTerminal())
                    throw new InvalidOperationException(
                        $"the run ended {seen.State} ({seen.Reason}) before {what}\n{await Logs(cluster, id)}\n{cluster.Diagnostics()}");
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                last = e; // calls through a killed or paused silo fail until membership drops it
            }
            await Task.Delay(250);
        }
        throw new TimeoutException(
            $"no {what} within {minutes} min (last state {seen?.State}, reason {seen?.Reason}); last error: {last?.Message}\n" +
            $"{await Logs(cluster, id)}\n{cluster.Diagnostics()}");
    }

    /// <summary>The run to its end; Completed, or an exception with the run's log and the silos' output.</summary>
    public static async Task<ExperimentStatus> Completed(LocalCluster cluster, string id, double minutes = 4)
    {
        var done = await WaitFor(cluster, id, s => s.State.IsTerminal(), "the end of the run", minutes, terminalIsFailure: false);
        if (done.State != ExperimentState.Completed)
            throw new InvalidOperationException($"{id} ended {done.State}: {done.Reason}\n{await Logs(cluster, id)}\n{cluster.Diagnostics()}");
        return done;
    }

    public static async Task<string> Logs(LocalCluster cluster, string id)
    {
        try
        {
            var page = await cluster.Client.GetGrain<IExperimentGrain>(id).GetLogs(0, 10_000);
            return string.Join('\n', page.Lines);
        }
        catch (Exception e)
        {
            return $"(no logs: {e.Message})";
        }
    }

    /// <summary>The checkpoint of <paramref name="epoch"/>, downloaded from the cluster's blob store into
    /// <paramref name="folder"/> (its SHA-256 checked against the recorded one).</summary>
    public static async Task<Checkpoint> DownloadCheckpoint(LocalCluster cluster, ExperimentStatus status, int epoch, string folder)
    {
        var reference = status.Checkpoints.Where(c => c.Epoch == epoch).OrderBy(c => c.IsBest).FirstOrDefault()
            ?? throw new InvalidOperationException($"{status.Id} has no checkpoint of epoch {epoch}: {string.Join(", ", status.Checkpoints.Select(c => c.Key))}");
        var store = new AzureBlobArtifactStore(cluster.StorageConnectionString, cluster.Container);
        string local = Path.Combine(folder, status.Id + "-" + Path.GetFileName(reference.Key));
        var info = await store.GetFileAsync(reference.Key, local);
        if (info.Sha256 != reference.Sha256)
            throw new InvalidOperationException($"{reference.Key}: SHA-256 {info.Sha256} differs from the recorded {reference.Sha256}");
        return CheckpointFile.Load(local);
    }

    /// <summary>
    /// Per state_dict entry, max |a − b| / max |b| (b the reference); every key must be in both. Integer entries
    /// (num_batches_tracked) compare as numbers too.
    /// </summary>
    public static Dictionary<string, double> RelativeDifferences(Checkpoint actual, Checkpoint reference)
    {
        var missing = reference.StateDict.Keys.Except(actual.StateDict.Keys).Concat(actual.StateDict.Keys.Except(reference.StateDict.Keys)).ToList();
        if (missing.Count > 0) throw new InvalidOperationException($"state_dict keys differ: {string.Join(", ", missing)}");
        var differences = new Dictionary<string, double>();
        foreach (var (key, expected) in reference.StateDict)
        {
            using var b = expected.to(TorchSharp.torch.ScalarType.Float64);
            using var a = actual.StateDict[key].to(TorchSharp.torch.ScalarType.Float64);
            if (!a.shape.SequenceEqual(b.shape))
                throw new InvalidOperationException($"{key}: shape [{string.Join(',', a.shape)}] vs [{string.Join(',', b.shape)}]");
            using var delta = (a - b).abs().max();
            using var scale = b.abs().max();
            double denominator = Math.Max(scale.item<double>(), 1e-12);
            differences[key] = delta.item<double>() / denominator;
        }
        return differences;
    }

    public static string Describe(IReadOnlyDictionary<string, double> differences, int top = 5) =>
        string.Join(", ", differences.OrderByDescending(d => d.Value).Take(top)
            .Select(d => $"{d.Key}={d.Value.ToString("0.###e0", CultureInfo.InvariantCulture)}"));
}
