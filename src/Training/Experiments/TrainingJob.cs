using System.Text.Json;
using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data.Loading;
using Cluster.Training.Distributed;
using Cluster.Training.Engine;
using Cluster.Training.Models;
using Cluster.Training.Storage;
using TorchSharp;

namespace Cluster.Training.Experiments;

/// <summary>
/// One training run from a merged config, in process: builds the model (init_cfg, pretrained), the loaders and the
/// runner, resolves MMEngine's <c>resume</c> / <c>load_from</c>, writes checkpoints as .pth into the work_dir.
/// <see cref="Prepare"/> validates everything it can without side effects, so bad input creates nothing.
/// </summary>
public sealed class TrainingJob
{
    public const string MergedConfigName = "config.yaml";
    /// <summary>One JSON object per line per finished epoch and validation (like MMEngine's vis_data/scalars.json).</summary>
    public const string ScalarsName = "scalars.json";

    private readonly ConfigDocument document;
    private readonly ExperimentConfig config;
    private readonly string device;
    private readonly string? resumeFrom;
    private readonly string? loadFrom;
    private readonly ICheckpointWriter? checkpointWriter;
    private readonly IEpochOrderProvider? trainOrder;
    private readonly IProcessGroup? processGroup;

    private TrainingJob(ConfigDocument document, ExperimentConfig config, WorkDirectory workDir, string device,
        string? resumeFrom, string? loadFrom, ICheckpointWriter? checkpointWriter, IEpochOrderProvider? trainOrder,
        IProcessGroup? processGroup)
    {
        this.processGroup = processGroup;
        this.checkpointWriter = checkpointWriter;
        this.trainOrder = trainOrder;
        this.document = document;
        this.config = config;
        WorkDir = workDir;
        this.device = device;
        this.resumeFrom = resumeFrom;
        this.loadFrom = loadFrom;
    }

    public WorkDirectory WorkDir { get; }

    /// <summary>The local checkpoint the run resumes from / loads weights from (a blob URI already downloaded).</summary>
    internal string? ResumeFrom => resumeFrom;
    internal string? LoadFrom => loadFrom;

    /// <param name="artifacts">Resolves <c>load_from</c> given as a blob URI (downloaded and hash-checked here, before
    /// the run); without it only local paths are accepted.</param>
    /// <param name="checkpointWriter">Where checkpoints go; local .pth files by default (a
    /// <see cref="StoredCheckpointWriter"/> also uploads them).</param>
    /// <param name="trainOrder">Decides each epoch's train order instead of the train sampler (a cluster worker asks
    /// its dataset shard grain); the sampler's own permutation by default.</param>
    /// <param name="processGroup">The data-parallel group this run is one rank of (the caller owns it); null for a
    /// single worker. Only rank 0 writes checkpoints: the other ranks run without a checkpoint writer.</param>
    public static TrainingJob Prepare(ConfigDocument document, string? workDir = null, string? device = null,
        ArtifactLocator? artifacts = null, ICheckpointWriter? checkpointWriter = null, IEpochOrderProvider? trainOrder = null,
        IProcessGroup? processGroup = null)
    {
        var config = Check(document);
        var directory = WorkDirectory.Resolve(workDir, config.WorkDir, document.MainFile);
        var checkpoint = config.LoadFrom is { } reference ? LocalCheckpoint(document, reference, artifacts) : null;
        var resumeFrom = config.Resume ? checkpoint ?? directory.LastCheckpoint() : null;
        var loadFrom = config.Resume ? null : checkpoint;
        return new TrainingJob(document, config, directory, DeviceSetting.Validate(document, device ?? config.Device, device is not null),
            resumeFrom, loadFrom, checkpointWriter ?? new PthCheckpointWriter(), trainOrder,
            processGroup);
    }

    /// <summary>
    /// The checks of a training config that need neither a device, a work_dir nor an artifact store (a cluster client
    /// runs them before it submits): typed sections, the sections training needs, max_epochs, and that a
    /// <c>load_from</c> given as a local path exists (a blob URI is checked where the store is).
    /// </summary>
    public static ExperimentConfig Check(ConfigDocument document)
    {
        var config = ExperimentConfig.From(document);
        ExperimentConfig.Require(config.TrainDataloader, document, "train_dataloader");
        ExperimentConfig.Require(config.TrainCfg, document, "train_cfg");
        ExperimentConfig.Require(config.OptimWrapper, document, "optim_wrapper");
        if (config.TrainCfg!.MaxEpochs < 1)
            throw new ConfigException(document.FileOf("train_cfg.max_epochs"), "train_cfg.max_epochs", $"must be at least 1, got {config.TrainCfg.MaxEpochs}");
        if (config.LoadFrom is { } path && !ArtifactLocator.IsBlobUri(path) && !File.Exists(path))
            throw new ConfigException(document.FileOf("load_from"), "load_from", $"checkpoint '{path}' does not exist");
        return config;
    }

    /// <summary>The local file behind <c>load_from</c> (after <see cref="Check"/>): a path as it is, a blob URI downloaded and verified.</summary>
    private static string LocalCheckpoint(ConfigDocument document, string reference, ArtifactLocator? artifacts)
    {
        ConfigException Problem(string problem) => new(document.FileOf("load_from"), "load_from", problem);
        bool isBlob = ArtifactLocator.IsBlobUri(reference);
        if (isBlob && artifacts is null)
            throw Problem($"checkpoint '{reference}' is a blob URI, but no artifact store is configured");
        if (artifacts is null)
            return reference; // a local path: Check has seen it exists
        try
        {
            // Off the caller's synchronization context (an Orleans turn may prepare a job): blocking cannot deadlock it.
            return Task.Run(() => artifacts.ResolveAsync(reference)).GetAwaiter().GetResult();
        }
        catch (ArtifactNotFoundException)
        {
            throw Problem($"checkpoint '{reference}' does not exist");
        }
        catch (Exception error) when (error is ArtifactCorruptException or ArgumentException)
        {
            throw Problem(error.Message);
        }
    }

    public TrainingResult Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        var events = new WorkDirProgress(WorkDir, progress);
        config.EnvCfg.Apply();
        long seed = RunSeed(events);
        // Seeded before the model is built, so its initial weights follow randomness.seed too (as MMEngine does).
        torch.manual_seed(seed);
        var dataPreprocessor = config.Model.DataPreprocessor;
        // Everything that can reject the input (model, pretrained weights, data lists) comes before the work_dir is
        // touched, so bad input leaves an earlier run's files as they were.
        using var model = ModelBuilder.Build(config.Model, new CheckpointPretrainedLoader(ProgressMessages.To(events)));
        using var trainLoader = DataLoaderFactory.Build(config.TrainDataloader!, LoaderSeed(seed), dataPreprocessor, order: trainOrder);
        using var valLoader = config.ValDataloader is { } val ? DataLoaderFactory.Build(val, LoaderSeed(seed), dataPreprocessor) : null;

        Directory.CreateDirectory(WorkDir.Path);
        if (resumeFrom is null) File.Delete(Path.Combine(WorkDir.Path, ScalarsName));
        var configText = document.ToYaml();
        File.WriteAllText(Path.Combine(WorkDir.Path, MergedConfigName), configText);
        if (config.Resume && resumeFrom is null)
            events.Report(new TrainingMessage($"resume: no checkpoint in {WorkDir.Path}, training from scratch"));

        var runner = new TrainingRunner(new TrainingRunnerOptions
        {
            Model = model,
            TrainData = new TrainBatchSource(trainLoader.ReadEpoch, trainLoader.BatchesPerEpoch, trainLoader.BatchSize),
            ValData = valLoader is null ? null : () => valLoader.ReadEpoch(0),
            TrainCfg = config.TrainCfg!,
            OptimWrapper = config.OptimWrapper!,
            ParamScheduler = config.ParamScheduler,
            ValEvaluator = config.ValEvaluator,
            AutoScaleLr = config.AutoScaleLr,
            ProcessGroup = processGroup,
            Distributed = config.Distributed,
            DefaultHooks = config.DefaultHooks,
            CustomHooks = config.CustomHooks,
            Randomness = new RandomnessConfig { Seed = seed },
            Device = device,
            WorkDir = WorkDir.Path,
            CheckpointWriter = checkpointWriter,
            ResumeFrom = resumeFrom,
            LoadFrom = loadFrom,
            LoadWeights = (recognizer, path) => CheckpointWeights.LoadInto(recognizer, path, ProgressMessages.To(events), "load_from"),
            ConfigText = configText,
            Progress = events,
        });
        return runner.Run(cancellation);
    }

    /// <summary>A resumed run keeps its checkpoint's seed (MMEngine warns when the config names another one).</summary>
    private long RunSeed(IProgress<TrainingEvent> events)
    {
        var resumed = SeedOf(resumeFrom);
        if (resumed is { } checkpointSeed && config.Randomness.Seed is { } configured && configured != checkpointSeed)
            events.Report(new TrainingMessage($"resume: the checkpoint was trained with seed {checkpointSeed}, not randomness.seed {configured}; keeping {checkpointSeed}"));
        return resumed ?? config.Randomness.Seed ?? Random.Shared.NextInt64(0, int.MaxValue);
    }

    /// <summary>The loaders' per-sample generators take 32-bit seeds; larger seeds are folded, not truncated.</summary>
    internal static int LoaderSeed(long seed) => (int)(seed % int.MaxValue);

    private static long? SeedOf(string? checkpoint)
    {
        if (checkpoint is null) return null;
        using var state = new PthCheckpointWriter().Load(checkpoint);
        return state.Seed;
    }

    /// <summary>Forwards events, appends epoch and validation scalars, keeps the latest-checkpoint pointers current.</summary>
    private sealed class WorkDirProgress(WorkDirectory workDir, IProgress<TrainingEvent>? inner) : IProgress<TrainingEvent>
    {
        private readonly string scalars = Path.Combine(workDir.Path, ScalarsName);

        public void Report(TrainingEvent value)
        {
            switch (value)
            {
                case CheckpointSaved { IsBest: false } saved:
                    workDir.RecordLatest(saved.Path);
                    break;
                case EpochCompleted epoch:
                    AppendScalars(new() { ["epoch"] = epoch.Epoch, ["loss"] = epoch.MeanLoss, ["lr"] = epoch.LearningRate });
                    break;
                case ValidationCompleted validation:
                    var line = new Dictionary<string, object> { ["epoch"] = validation.Epoch, ["step"] = validation.Iteration };
                    foreach (var (name, metric) in validation.Metrics) line[name] = metric;
                    AppendScalars(line);
                    break;
            }
            inner?.Report(value);
        }

        private void AppendScalars(Dictionary<string, object> line) =>
            File.AppendAllText(scalars, JsonSerializer.Serialize(line) + Environment.NewLine);
    }
}
