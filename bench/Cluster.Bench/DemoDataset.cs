using Cluster.Training.Configs;
using Cluster.Training.Synthetic;

namespace Cluster.Bench;

/// <summary>A synthetic UCF101-style video set, and the demo config pointed at it through <c>--set</c>-style overrides.</summary>
public static class DemoDataset
{
    public const string ConfigPath = "configs/demo/tsn_tiny_synth.yaml";

    public static ConfigDocument Prepare(string directory, int videosPerClass, IEnumerable<string>? extraOverrides = null)
    {
        if (!File.Exists(ConfigPath))
            throw new FileNotFoundException($"{ConfigPath} not found: run the benchmark from the repository root", ConfigPath);
        var data = UcfSynthesizer.Generate(new SynthOptions
        {
            OutDir = directory,
            Classes = 8,
            VideosPerClass = videosPerClass,
            Size = 64,
            Formats = SynthFormats.Videos,
        });
        return ConfigLoader.Load(ConfigPath,
        [
            $"train_dataloader.dataset.ann_file={data.TrainList}",
            $"train_dataloader.dataset.data_prefix.video={data.VideoDir}",
            .. extraOverrides ?? [],
        ]);
    }
}
