using Cluster.Training.Checkpoints;
using Cluster.Training.Configs;
using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Loading;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Cluster.Training.Lfb;
using Cluster.Training.Models;
using Cluster.Training.Models.Detectors;
using Cluster.Training.Storage;
using TorchSharp;

namespace Cluster.Training.BankJobs;

/// <summary>
/// The long-term feature bank of some videos of a split, in process (what one cluster worker computes for one shard):
/// the config's detector with the weights of <c>load_from</c> (strict), in eval mode without gradients, over the
/// split's keyframes of those videos (<see cref="BankInput"/>), one feature per proposal box (LFBInferHead: RoI
/// features, temporal average, spatial max) filed under its (video, second) by <see cref="BankBuilder"/>.
/// </summary>
public sealed class BankShardJob
{
    private readonly BankInput input;
    private readonly IReadOnlyList<string> videos;
    private readonly string device;
    private readonly string checkpoint;

    private BankShardJob(BankInput input, IReadOnlyList<string> videos, string device, string checkpoint)
    {
        this.input = input;
        this.videos = videos;
        this.device = device;
        this.checkpoint = checkpoint;
    }

    /// <summary>The split's videos in dataset order (reads its annotation, exclusion and proposal files).</summary>
    public static IReadOnlyList<string> SplitVideos(BankInput input) => Dataset(input).VideoIds;

    /// <param name="artifacts">Resolves a <c>load_from</c> blob URI (downloaded and hash-checked); null: local paths only.</param>
    public static BankShardJob Prepare(BankInput input, IReadOnlyList<string> videos, string device, ArtifactLocator? artifacts)
    {
        string local = input.LoadFrom;
        if (ArtifactLocator.IsBlobUri(local))
        {
            if (artifacts is null)
                throw new ConfigException(input.ConfigFile, "load_from", $"checkpoint '{local}' is a blob URI, but no artifact store is configured");
            local = Task.Run(() => artifacts.ResolveAsync(input.LoadFrom)).GetAwaiter().GetResult();
        }
        return new BankShardJob(input, videos, device, local);
    }

    /// <param name="progress">Features and keyframes done so far, after each batch.</param>
    public FeatureBank Run(Action<long, int>? progress = null, CancellationToken cancellation = default)
    {
        var config = input.Config;
        config.EnvCfg.Apply();
        using var model = ModelBuilder.Build(config.Model, loader: null);
        if (model is not FastRCNN detector)
            throw new ConfigException(input.ConfigFile, "model.type", $"{model.GetType().Name} has no person features: a feature bank needs a FastRCNN detector");
        CheckpointWeights.LoadInto(model, checkpoint, _ => { }, "load_from", strict: true);
        var target = DeviceSelector.Resolve(device);
        model.to(target);
        model.eval();

        int channels = input.Channels;
        var indices = Dataset(input).IndicesOfVideos(videos);
        if (indices.Length == 0) return new FeatureBank(channels); // none of these videos has a keyframe left
        using var loader = DataLoaderFactory.Build(input.Loader, TrainingJob.LoaderSeed(config.Randomness.Seed ?? 0), config.Model.DataPreprocessor,
            new DataShard(1, 0, indices));
        using var noGrad = torch.no_grad();
        return BankBuilder.Build(loader.ReadEpoch(0), batch => detector.PersonFeatures(batch, target), channels,
            progress: progress is null ? null : new BatchProgress(progress), cancellation: cancellation);
    }

    private sealed class BatchProgress(Action<long, int> report) : IProgress<BankProgress>
    {
        public void Report(BankProgress value) => report(value.Features, value.Keyframes);
    }

    private static AvaDataset Dataset(BankInput input) => input.Dataset.Build() as AvaDataset
        ?? throw new ConfigException(input.ConfigFile, "dataset.type", "a feature bank is computed over an AVADataset");
}
