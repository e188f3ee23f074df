using Cluster.Training.Configs;
using Cluster.Training.Data.Loading;
using Cluster.Training.Distributed;
using Cluster.Training.Engine;
using Cluster.Training.Evaluation;
using Cluster.Training.Hooks;
using Cluster.Training.Models;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;

namespace Cluster.Training.Experiments;

/// <summary>
/// The whole merged config of a run, typed: every top-level key of an MMAction2 config (configs/README.md).
/// Binding it validates every section, so a bad key fails before anything is built or written.
/// </summary>
public sealed class ExperimentConfig
{
    public required ModelConfig Model { get; init; }
    public DataLoaderConfig? TrainDataloader { get; init; }
    public DataLoaderConfig? ValDataloader { get; init; }
    public DataLoaderConfig? TestDataloader { get; init; }
    public TrainLoopConfig? TrainCfg { get; init; }
    public Dictionary<string, object?>? ValCfg { get; init; }
    public Dictionary<string, object?>? TestCfg { get; init; }
    public List<MetricConfig> ValEvaluator { get; init; } = [new AccMetricConfig()];
    public List<MetricConfig> TestEvaluator { get; init; } = [new AccMetricConfig()];
    public OptimWrapperConfig? OptimWrapper { get; init; }
    public List<ParamSchedulerConfig> ParamScheduler { get; init; } = [];
    public AutoScaleLrConfig? AutoScaleLr { get; init; }
    public DefaultHooksConfig DefaultHooks { get; init; } = new();
    public List<HookConfig> CustomHooks { get; init; } = [];
    public RandomnessConfig Randomness { get; init; } = new();
    public string? LoadFrom { get; init; }
    public bool Resume { get; init; }
    public string? WorkDir { get; init; }
    public string Device { get; init; } = "auto";
    public EnvironmentConfig EnvCfg { get; init; } = new();
    public DistributedConfig Distributed { get; init; } = new();

    // The group size of a data-parallel run: read and validated by the cluster client (GroupSize) into the experiment
    // spec, ignored by the engine (which trains as one rank of whatever group it is given).
    public object? Workers { get; init; }
    public object? MinWorkers { get; init; }
    public object? MaxWorkers { get; init; }

    // Accepted for MMAction2 compatibility; they configure MMEngine machinery this engine does not have
    // (registry scopes, visual backends) or that it fixes (log format and level).
    public string? DefaultScope { get; init; }
    public Dictionary<string, object?>? LogProcessor { get; init; }
    public Dictionary<string, object?>? Visualizer { get; init; }
    public object? VisBackends { get; init; }
    public string? LogLevel { get; init; }

    /// <summary>Binds and validates a loaded document; errors name the file and key path.</summary>
    public static ExperimentConfig From(ConfigDocument document)
    {
        var config = ConfigBinder.Bind<ExperimentConfig>(document, "");
        config.Distributed.Validate(document);
        return config;
    }

    /// <summary>The section a command needs, or an error naming the file and the missing key.</summary>
    public static T Require<T>(T? section, ConfigDocument document, string key) where T : class =>
        section ?? throw new ConfigException(document.FileOf(key), key, "missing: this command needs it");
}
