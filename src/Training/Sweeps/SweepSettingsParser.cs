using Cluster.Training.Configs;

namespace Cluster.Training.Sweeps;

/// <summary>Reads and validates the <c>sweep:</c> section (see configs/README.md, "Sweeps").</summary>
internal static class SweepSettingsParser
{
    public const string Key = "sweep";

    private static readonly string[] Known =
    [
        "search_alg", "num_samples", "metric", "mode", "max_concurrent_trials", "workers_per_trial", "max_failures",
        "seed", "scheduler", "stop", "tpe",
    ];

    private static readonly (string, SearchAlgorithm)[] Algorithms =
        [("grid", SearchAlgorithm.Grid), ("random", SearchAlgorithm.Random), ("tpe", SearchAlgorithm.Tpe)];

    private static readonly (string, MetricMode)[] Modes = [("max", MetricMode.Max), ("min", MetricMode.Min)];

    /// <param name="maxEpochs">The base config's train_cfg.max_epochs: ASHA's max_t defaults to it and cannot exceed it.</param>
    public static SweepSettings Parse(ConfigDocument document, object? raw, int maxEpochs)
    {
        if (raw is null) throw new ConfigException(document.MainFile, Key, "missing: a sweep spec needs a sweep section (metric, mode, ...)");
        var sweep = SpecSection.Of(document, Key, raw);
        sweep.RejectUnknown(Known);

        var algorithm = sweep.Choice("search_alg", SearchAlgorithm.Random, Algorithms);
        var numSamples = sweep.Int("num_samples", 1, minimum: 1);
        var metric = sweep.String("metric");
        if (string.IsNullOrWhiteSpace(metric)) throw sweep.Error("metric", "missing: the validation metric to optimize, e.g. acc/top1");
        if (!sweep.Has("mode")) throw sweep.Error("mode", "missing: max or min");
        var mode = sweep.Choice("mode", MetricMode.Max, Modes);
        var maxConcurrent = sweep.Int("max_concurrent_trials", int.MaxValue, minimum: 1);
        var workersPerTrial = sweep.Int("workers_per_trial", 1, minimum: 1);
        var maxFailures = sweep.Int("max_failures", 0, minimum: 0);
        var seed = sweep.Long("seed", 0);
        if (sweep.Has("tpe") && algorithm != SearchAlgorithm.Tpe)
            throw sweep.Error("tpe", "only applies with search_alg: tpe");

        return new SweepSettings(algorithm, numSamples, metric.Trim(), mode, maxConcurrent, workersPerTrial, maxFailures, seed,
            Scheduler(sweep.Section("scheduler"), maxEpochs), Stop(sweep.Section("stop")), Tpe(sweep.Section("tpe")));
    }

    private static SchedulerSettings Scheduler(SpecSection scheduler, int maxEpochs)
    {
        if (scheduler.Map.Count == 0) return new FifoSchedulerSettings();
        var type = scheduler.Choice("type", "", [("fifo", "fifo"), ("asha", "asha"), ("median_stopping", "median_stopping")]);
        var timeAttr = scheduler.String("time_attr") ?? SchedulerSettings.EpochTimeAttr;
        if (type != "fifo" && timeAttr != SchedulerSettings.EpochTimeAttr)
            throw scheduler.Error("time_attr", $"'{timeAttr}' is not supported: trials report results per epoch (use epoch)");
        switch (type)
        {
            case "fifo":
                scheduler.RejectUnknown(["type"]);
                return new FifoSchedulerSettings();
            case "asha":
            {
                scheduler.RejectUnknown(["type", "time_attr", "grace_period", "reduction_factor", "max_t"]);
                var grace = scheduler.Int("grace_period", 1, minimum: 1);
                var factor = scheduler.Int("reduction_factor", 4, minimum: 2);
                var maxT = scheduler.Int("max_t", maxEpochs, minimum: 1);
                if (maxT < grace) throw scheduler.Error("max_t", $"must be at least grace_period ({grace}), got {maxT}");
                if (maxT > maxEpochs)
                    throw scheduler.Error("max_t", $"{maxT} is never reached: trials end at train_cfg.max_epochs = {maxEpochs}");
                return new AshaSchedulerSettings(grace, factor, maxT);
            }
            case "median_stopping":
                scheduler.RejectUnknown(["type", "time_attr", "grace_period", "min_samples_required"]);
                return new MedianStoppingSettings(scheduler.Int("grace_period", 1, minimum: 1),
                    scheduler.Int("min_samples_required", 3, minimum: 1));
            default:
                throw scheduler.Error("type", "missing: fifo, asha or median_stopping");
        }
    }

    private static StopConditions Stop(SpecSection stop)
    {
        stop.RejectUnknown(["time_budget_s", "metric_target"]);
        var budget = stop.Number("time_budget_s");
        if (budget <= 0) throw stop.Error("time_budget_s", $"must be greater than 0, got {SpecSection.Format(budget.Value)}");
        return new StopConditions(budget, stop.Number("metric_target"));
    }

    private static TpeSettings Tpe(SpecSection tpe)
    {
        tpe.RejectUnknown(["n_startup_trials", "n_ei_candidates", "gamma"]);
        var defaults = TpeSettings.Default;
        var gamma = tpe.Number("gamma") ?? defaults.Gamma;
        if (gamma is <= 0 or > 1) throw tpe.Error("gamma", $"must be in (0, 1], got {SpecSection.Format(gamma)}");
        return new TpeSettings(tpe.Int("n_startup_trials", defaults.NStartupTrials, minimum: 0),
            tpe.Int("n_ei_candidates", defaults.NEiCandidates, minimum: 1), gamma);
    }
}
