using Cluster.Abstractions.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Configs;

namespace Cluster.Bench;

/// <summary>
/// Data-parallel step time: the demo training on a local cluster of separate silo processes (one CPU slot and one
/// torch thread each), (a) 2 workers × batch B against (b) 1 worker × batch 2B, the same global batch, so the same
/// number of optimizer steps per epoch. Compared on the engine's epoch durations in the experiment's history (what
/// <c>cluster status --json</c> shows), epoch 1 left out as warm-up, divided by the steps per epoch.
/// </summary>
public static class DataParallelStepBenchmark
{
    public const string Name = "data-parallel step";
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    /// <param name="PerWorkerBatch">B; the single worker takes 2B.</param>
    /// <param name="Repeats">Pairs of runs, alternating which goes first.</param>
    public sealed record Settings(int VideosPerClass, int PerWorkerBatch, int Epochs, int Repeats);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        if (settings.Epochs < 2)
            throw new ArgumentException("the data-parallel benchmark needs at least 2 epochs (the first is warm-up)");
        var common = DemoDataset.Prepare(Path.Combine(workDir, "dp-synth"), settings.VideosPerClass,
        [
            $"train_cfg.max_epochs={settings.Epochs}",
            "val_dataloader=null",
            "test_dataloader=null",
            "default_hooks.checkpoint.save_best=null",
            "default_hooks.logger.interval=1",
            "train_dataloader.num_workers=1",
        ]);
        string Yaml(int batch) => ConfigLoader.LoadMerged(common.ToYaml(), "tsn_tiny_synth", [$"train_dataloader.batch_size={batch}"]).ToYaml();
        string parallelYaml = Yaml(settings.PerWorkerBatch), singleYaml = Yaml(2 * settings.PerWorkerBatch);

        var cluster = LocalCluster.StartAsync(silos: 2).GetAwaiter().GetResult();
        try
        {
            int run = 0;
            var samples = Alternation.Run(settings.Repeats,
                () => MsPerStep(cluster, singleYaml, workers: 1, $"dp-bench-single-{++run}"),
                () => MsPerStep(cluster, parallelYaml, workers: 2, $"dp-bench-parallel-{++run}"));
            var (single, parallel) = (samples[0], samples[1]);
            return
            [
                BenchRow.Time(Name, $"ms/step, global batch {2 * settings.PerWorkerBatch}: 2 workers × {settings.PerWorkerBatch}",
                    parallel, "ms", single, $"1 worker × {2 * settings.PerWorkerBatch}", minRatio: null),
            ];
        }
        finally
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double MsPerStep(LocalCluster cluster, string yaml, int workers, string id)
    {
        cluster.EnsureRunningAsync(2).GetAwaiter().GetResult();
        var grain = cluster.Client.GetGrain<IExperimentGrain>(id);
        var status = grain.Submit(new ExperimentSpec("tsn_tiny_synth", yaml, workers, "cpu", MinWorkers: workers)).GetAwaiter().GetResult();
        int stepsPerEpoch = 0;
        while (!status.State.IsTerminal())
        {
            Thread.Sleep(PollInterval);
            status = grain.GetStatus().GetAwaiter().GetResult();
            if (status.Progress is { } progress) stepsPerEpoch = progress.ItersPerEpoch;
        }
        if (status.State != ExperimentState.Completed)
            throw new InvalidOperationException($"experiment {id} ({workers} workers) ended {status.State}: {status.Reason}\n{cluster.Diagnostics()}");
        if (status.Workers.Count != workers)
            throw new InvalidOperationException($"experiment {id} ran on {status.Workers.Count} workers, not {workers}");
        var epochs = status.History.Select(h => h.Duration).ToList();
        if (epochs.Count < 2 || stepsPerEpoch == 0)
            throw new InvalidOperationException($"{id}: expected at least 2 epochs with steps, got {epochs.Count} (steps per epoch {stepsPerEpoch})");
        return epochs.Skip(1).Sum(e => e.TotalMilliseconds) / ((epochs.Count - 1) * stepsPerEpoch);
    }
}
