using System.Diagnostics;
using Cluster.Abstractions.Experiments;
using Cluster.Silo;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Bench;

/// <summary>
/// Benchmark 4: the same demo training (tsn_tiny_synth on a synthetic set, no validation) run (a) in process through
/// <see cref="TrainingJob"/> and (b) submitted to an embedded silo and run by its grains (experiment → registry →
/// worker on its training thread, shard grain ordering epochs, checkpoints uploaded to the artifact store, events
/// reported to the experiment grain). Compared on the engine's own epoch durations (EpochCompleted.Duration in process,
/// EpochRecord.Duration in the experiment's history), the first epoch left out as warm-up, divided by iterations. The
/// LoggerHook's epoch clock also covers the previous epoch's checkpoint save/upload and the next epoch's shard order.
/// </summary>
public static class GrainOverheadBenchmark
{
    public const string Name = "grains vs in-process";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="Repeats">Pairs of runs (in-process, cluster), alternating which goes first.</param>
    public sealed record Settings(int VideosPerClass, int Epochs, int Repeats);

    /// <summary>One run's per-iteration time over epochs 2..N and its wall time.</summary>
    private sealed record RunTiming(double MsPerIteration, double WallSeconds);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        if (settings.Epochs < 2)
            throw new ArgumentException("the grain benchmark needs at least 2 epochs (the first is warm-up)");
        var document = DemoDataset.Prepare(Path.Combine(workDir, "grain-synth"), settings.VideosPerClass,
        [
            $"train_cfg.max_epochs={settings.Epochs}",
            "val_dataloader=null",
            "test_dataloader=null",
            "default_hooks.checkpoint.save_best=null",
            "default_hooks.logger.interval=1",
        ]);
        using var silo = new EmbeddedSilo(workDir, "grain-silo");
        var client = silo.Client;
        int run = 0;
        var wallInProcess = new Samples();
        var wallCluster = new Samples();
        var samples = Alternation.Run(settings.Repeats,
            () =>
            {
                var timing = InProcess(document, Path.Combine(workDir, $"inproc-{++run}"));
                wallInProcess.Add(timing.WallSeconds);
                return timing.MsPerIteration;
            },
            () =>
            {
                var timing = ThroughGrains(client, document, $"bench-{++run}");
                wallCluster.Add(timing.WallSeconds);
                return timing.MsPerIteration;
            });
        var (inProcess, cluster) = (samples[0], samples[1]);
        var ratios = cluster.Values.Zip(inProcess.Values, (c, i) => c / i).ToList();
        double meanRatio = ratios.Average();
        // Normal approximation of the mean's 95% interval: tells whether the run could resolve a 5% overhead.
        double halfWidth = ratios.Count < 2 ? double.NaN
            : 1.96 * Math.Sqrt(ratios.Sum(r => (r - meanRatio) * (r - meanRatio)) / (ratios.Count - 1) / ratios.Count);
        return
        [
            BenchRow.Time(Name, "ms/iteration, epochs 2..N (engine's epoch durations)", cluster, "ms", inProcess, "in-process", minRatio: null),
            BenchRow.AtMost(Name, "overhead %, mean of paired cluster/in-process - 1", Single((meanRatio - 1) * 100), "%", 5),
            BenchRow.Info(Name, "overhead %, 95% interval half-width", Single(halfWidth * 100), "%"),
            BenchRow.Time(Name, "wall s per run (submit to terminal vs Prepare+Run)", wallCluster, "s", wallInProcess, "in-process", minRatio: null),
        ];
    }

    private static Samples Single(double value)
    {
        var samples = new Samples();
        samples.Add(value);
        return samples;
    }

    private static RunTiming InProcess(ConfigDocument document, string runDir)
    {
        var clock = Stopwatch.StartNew();
        var epochs = new List<TimeSpan>();
        int itersPerEpoch = 0;
        var progress = new SyncProgress(e =>
        {
            if (e is IterationProgress p) itersPerEpoch = p.ItersPerEpoch;
            if (e is EpochCompleted done) epochs.Add(done.Duration);
        });
        var result = TrainingJob.Prepare(document, runDir, "cpu").Run(progress);
        if (result.Status != TrainingStatus.Completed)
            throw new InvalidOperationException($"in-process run ended {result.Status}: {result.StopReason}");
        return new RunTiming(SteadyMsPerIteration(epochs, itersPerEpoch), clock.Elapsed.TotalSeconds);
    }

    private static RunTiming ThroughGrains(IClusterClient client, ConfigDocument document, string id)
    {
        var clock = Stopwatch.StartNew();
        var grain = client.GetGrain<IExperimentGrain>(id);
        var status = grain.Submit(new ExperimentSpec("tsn_tiny_synth", document.ToYaml(), 1, null)).GetAwaiter().GetResult();
        int itersPerEpoch = 0;
        while (!status.State.IsTerminal())
        {
            Thread.Sleep(PollInterval);
            status = grain.GetStatus().GetAwaiter().GetResult();
            if (status.Progress is { } progress) itersPerEpoch = progress.ItersPerEpoch;
        }
        if (status.State != ExperimentState.Completed)
            throw new InvalidOperationException($"experiment {id} ended {status.State}: {status.Reason}");
        return new RunTiming(SteadyMsPerIteration(status.History.Select(h => h.Duration).ToList(), itersPerEpoch),
            clock.Elapsed.TotalSeconds);
    }

    /// <summary>Epochs 2..N: the first pays for model, loader workers and (in the cluster) shard grain activation.</summary>
    private static double SteadyMsPerIteration(IReadOnlyList<TimeSpan> epochs, int itersPerEpoch)
    {
        if (epochs.Count < 2 || itersPerEpoch == 0)
            throw new InvalidOperationException($"expected at least 2 epochs with iterations, got {epochs.Count} (iterations per epoch {itersPerEpoch})");
        return epochs.Skip(1).Sum(e => e.TotalMilliseconds) / ((epochs.Count - 1) * itersPerEpoch);
    }
}
