using Cluster.Tests.Client;
using Cluster.Training.Synthetic;

namespace Cluster.Tests.Experiments;

/// <summary>A synthetic UCF-style set in a temp folder, and the --set overrides that point a demo config at it.</summary>
internal sealed class DemoDataset : IDisposable
{
    public DemoDataset(SynthOptions options)
    {
        Result = UcfSynthesizer.Generate(options);
    }

    public SynthResult Result { get; }
    public string Root => Result.OutDir;

    public static DemoDataset Create(string prefix, int classes, int videosPerClass, int seed, bool motionOnly = false, int frames = 16) =>
        new(new SynthOptions
        {
            OutDir = Directory.CreateTempSubdirectory(prefix).FullName,
            Classes = classes,
            VideosPerClass = videosPerClass,
            Seed = seed,
            MotionOnly = motionOnly,
            Frames = frames,
            Formats = SynthFormats.Videos,
        });

    public static string Config(string relativePath) => CliRunner.RepositoryFile(Path.Combine("configs", relativePath));

    /// <summary>Points train/val/test of a config at this set (val doubles as test, as in the demo configs).</summary>
    public List<string> Overrides(int? numClasses = null)
    {
        var overrides = new List<string>();
        foreach (var (split, list) in new[] { ("train", Result.TrainList!), ("val", Result.ValList!), ("test", Result.ValList!) })
        {
            overrides.Add($"{split}_dataloader.dataset.ann_file={list}");
            overrides.Add($"{split}_dataloader.dataset.data_prefix.video={Result.VideoDir}");
        }
        overrides.Add($"model.cls_head.num_classes={numClasses ?? Result.Classes.Count}");
        return overrides;
    }

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
