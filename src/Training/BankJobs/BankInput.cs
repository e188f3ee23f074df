using Cluster.Training.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Loading;
using Cluster.Training.Experiments;
using Cluster.Training.Models.Detectors;
using Cluster.Training.Storage;

namespace Cluster.Training.BankJobs;

/// <summary>
/// What a feature bank of one split is computed from, read from a detection config as MMAction2's LFB inference does:
/// the split's AVADataset in test mode (RoIs = its proposals above the split's score threshold), through the
/// validation pipeline and batch size, in dataset order; the config's model with the weights of <c>load_from</c>.
/// </summary>
/// <param name="Channels">The person features' channels: the backbone's output, which the bbox head takes directly (a
/// config with a shared head, such as an FBOHead reading a bank, consumes banks rather than computes them).</param>
public sealed record BankInput(ExperimentConfig Config, DataLoaderConfig Loader, AvaDatasetConfig Dataset, string LoadFrom, string ConfigFile,
    int Channels)
{
    /// <exception cref="ConfigException">No such split's dataloader, not an AVADataset, no validation pipeline, no load_from,
    /// or a local load_from that does not exist (naming the file and key).</exception>
    public static BankInput From(ConfigDocument document, string split)
    {
        string loaderKey = $"{split}_dataloader";
        if (split is not ("train" or "val"))
            throw new ArgumentException($"split '{split}' is not train or val");
        var config = ExperimentConfig.From(document);
        var splitLoader = ExperimentConfig.Require(split == "train" ? config.TrainDataloader : config.ValDataloader, document, loaderKey);
        var valLoader = ExperimentConfig.Require(config.ValDataloader, document, "val_dataloader");
        if (splitLoader.Dataset is not AvaDatasetConfig)
            throw new ConfigException(document.FileOf($"{loaderKey}.dataset"), $"{loaderKey}.dataset.type",
                "a feature bank is computed over an AVADataset (person boxes per keyframe)");
        if (document.TryGet("model.type", out var type) && type is not "FastRCNN")
            throw new ConfigException(document.FileOf("model.type"), "model.type",
                $"'{type}' has no person features: a feature bank is computed with a FastRCNN detector");
        var roiHead = (config.Model as FastRCNNConfig)?.RoiHead
                      ?? throw new ConfigException(document.FileOf("model"), "model.roi_head", "missing: a feature bank needs the detector's RoI head");
        if (roiHead.SharedHead is not null)
            throw new ConfigException(document.FileOf("model.roi_head.shared_head"), "model.roi_head.shared_head",
                "compute a bank with the detector without a shared head (bank features are the RoI features before it)");
        int channels = roiHead.BboxHead.InChannels;
        if (config.LoadFrom is not { Length: > 0 } loadFrom)
            throw new ConfigException(document.FileOf("load_from"), "load_from", "a feature bank is computed with trained weights: name the checkpoint");
        if (!ArtifactLocator.IsBlobUri(loadFrom) && !File.Exists(loadFrom))
            throw new ConfigException(document.FileOf("load_from"), "load_from", $"checkpoint '{loadFrom}' does not exist");
        if (split == "val")
            return new BankInput(config, InOrder(valLoader), (AvaDatasetConfig)valLoader.Dataset, loadFrom, document.MainFile, channels);

        // The train split through the test pipeline: its dataset section, in test mode, with val's pipeline.
        var rewritten = ConfigLoader.LoadMerged(document.ToYaml(), Path.GetFileNameWithoutExtension(document.MainFile));
        var valDataset = Section(rewritten, "val_dataloader.dataset");
        var trainDataset = Section(rewritten, "train_dataloader.dataset");
        trainDataset["test_mode"] = true;
        trainDataset["pipeline"] = valDataset["pipeline"];
        Section(rewritten, "val_dataloader")["dataset"] = trainDataset;
        var bound = ExperimentConfig.From(rewritten);
        return new BankInput(config, InOrder(bound.ValDataloader!), (AvaDatasetConfig)bound.ValDataloader!.Dataset, loadFrom, document.MainFile,
            channels);
    }

    /// <summary>The loader's batch size and workers, but every sample once in dataset order (a bank never shuffles, pads or drops).</summary>
    private static DataLoaderConfig InOrder(DataLoaderConfig loader) => new()
    {
        BatchSize = loader.BatchSize,
        NumWorkers = loader.NumWorkers,
        PrefetchFactor = loader.PrefetchFactor,
        DropLast = false,
        Sampler = new DefaultSamplerConfig { Shuffle = false, RoundUp = false },
        Dataset = loader.Dataset,
    };

    private static Dictionary<string, object?> Section(ConfigDocument document, string keyPath) =>
        document.Get(keyPath) as Dictionary<string, object?>
        ?? throw new ConfigException(document.FileOf(keyPath), keyPath, "missing: a feature bank needs it");
}
