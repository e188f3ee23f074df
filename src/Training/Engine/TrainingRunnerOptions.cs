using Cluster.Training.Data;
using Cluster.Training.Distributed;
using Cluster.Training.Evaluation;
using Cluster.Training.Hooks;
using Cluster.Training.Models;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;

namespace Cluster.Training.Engine;

/// <summary>What a training run is made of: the model, data, and the config sections MMEngine's runner reads.</summary>
public sealed class TrainingRunnerOptions
{
    /// <summary>A recogniser or a detector (its batches carry <see cref="Batch.Detection"/>).</summary>
    public required VideoModel Model { get; init; }
    public required TrainBatchSource TrainData { get; init; }
    /// <summary>The validation batches (one full pass per call); null = no validation.</summary>
    public Func<IEnumerable<Batch>>? ValData { get; init; }

    public required TrainLoopConfig TrainCfg { get; init; }
    public required OptimWrapperConfig OptimWrapper { get; init; }
    public IReadOnlyList<ParamSchedulerConfig> ParamScheduler { get; init; } = [];
    public IReadOnlyList<MetricConfig> ValEvaluator { get; init; } = [new AccMetricConfig()];
    public AutoScaleLrConfig? AutoScaleLr { get; init; }
    /// <summary>
    /// The data-parallel group this worker trains in (gradients averaged before every step, rank 0's weights at the
    /// start, buffers averaged and replicas compared at every epoch end); null = a single worker.
    /// </summary>
    public IProcessGroup? ProcessGroup { get; init; }
    /// <summary>The <c>distributed</c> section (check_replicas, sync_bn); used only with a <see cref="ProcessGroup"/>.</summary>
    public DistributedConfig Distributed { get; init; } = new();
    /// <summary>
    /// Workers training together (each with <see cref="TrainBatchSource.BatchSize"/>), for auto_scale_lr: the
    /// group's size by default (1 without one); set only to model a group size for a single worker.
    /// </summary>
    public int WorldSize
    {
        get => worldSize ?? ProcessGroup?.WorldSize ?? 1;
        init => worldSize = value;
    }

    private readonly int? worldSize;
    public DefaultHooksConfig DefaultHooks { get; init; } = new();
    public IReadOnlyList<HookConfig> CustomHooks { get; init; } = [];
    public RandomnessConfig Randomness { get; init; } = new();

    /// <summary>"auto", "cpu", "cuda" or "cuda:N" (see <see cref="DeviceSelector"/>).</summary>
    public string Device { get; init; } = "auto";
    /// <summary>Default checkpoint directory (CheckpointHook's out_dir overrides it).</summary>
    public required string WorkDir { get; init; }
    public ICheckpointWriter? CheckpointWriter { get; init; }

    /// <summary>MMEngine <c>resume</c> + <c>load_from</c>: restore everything from this checkpoint and continue.</summary>
    public string? ResumeFrom { get; init; }
    /// <summary>MMEngine <c>load_from</c> without resume: weights only, through <see cref="LoadWeights"/>.</summary>
    public string? LoadFrom { get; init; }
    /// <summary>Loads <see cref="LoadFrom"/> into the model (the integrator's .pth loader, with key mapping).</summary>
    public Action<VideoModel, string>? LoadWeights { get; init; }

    /// <summary>The config text stored as <c>meta.cfg</c>.</summary>
    public string? ConfigText { get; init; }
    public IProgress<TrainingEvent>? Progress { get; init; }
}
