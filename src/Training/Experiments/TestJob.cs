using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data.Loading;
using Cluster.Training.Engine;
using Cluster.Training.Evaluation;
using Cluster.Training.Models;
using TorchSharp;

namespace Cluster.Training.Experiments;

/// <summary>
/// Evaluates a checkpoint on the config's <c>test_dataloader</c> with its <c>test_evaluator</c> (multi-view test-time
/// averaging per the head's <c>average_clips</c>), in process.
/// </summary>
public sealed class TestJob
{
    private readonly ExperimentConfig config;
    private readonly DataLoaderConfig testData;
    private readonly string checkpoint;
    private readonly string device;

    private TestJob(ExperimentConfig config, DataLoaderConfig testData, string checkpoint, string device)
    {
        this.config = config;
        this.testData = testData;
        this.checkpoint = checkpoint;
        this.device = device;
    }

    public static TestJob Prepare(ConfigDocument document, string checkpoint, string? device = null)
    {
        var config = ExperimentConfig.From(document);
        var testData = ExperimentConfig.Require(config.TestDataloader, document, "test_dataloader");
        if (!File.Exists(checkpoint)) throw new FileNotFoundException($"checkpoint '{checkpoint}' does not exist", checkpoint);
        return new TestJob(config, testData, checkpoint, DeviceSetting.Validate(document, device ?? config.Device, device is not null));
    }

    public IReadOnlyDictionary<string, double> Run(IProgress<TrainingEvent>? progress = null, CancellationToken cancellation = default)
    {
        config.EnvCfg.Apply();
        using var model = ModelBuilder.Build(config.Model, loader: null);
        var target = DeviceSelector.Resolve(device);
        // Strict: metrics of a model whose weights did not all load would be meaningless.
        CheckpointWeights.LoadInto(model, checkpoint, ProgressMessages.To(progress), "load_from", strict: true);
        model.to(target);
        using var loader = DataLoaderFactory.Build(testData, TrainingJob.LoaderSeed(config.Randomness.Seed ?? 0), config.Model.DataPreprocessor);
        var metrics = config.TestEvaluator.Select(metric => metric.Create()).ToList();
        using var result = new EvaluationLoop(model, metrics, target).Run(loader.ReadEpoch(0), cancellation);
        return result.Metrics;
    }
}
