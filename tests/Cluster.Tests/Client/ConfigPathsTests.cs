using Cluster.Training.Configs;

namespace Cluster.Tests.Client;

/// <summary>Relative paths of a config become absolute before it is sent to a cluster; data_root-relative ones stay.</summary>
public sealed class ConfigPathsTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("config-paths-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private ConfigDocument Load(string yaml, params string[] overrides)
    {
        var path = Path.Combine(directory, "c.yaml");
        File.WriteAllText(path, yaml);
        return ConfigLoader.LoadUnvalidated(path, overrides);
    }

    [Fact]
    public void RelativePathsBecomeOverridesBelowTheBaseDirectory()
    {
        var document = Load("""
            load_from: work_dirs/a/epoch_3.pth
            work_dir: runs/x
            model:
              backbone: {pretrained: 'torchvision://resnet50'}
            train_dataloader:
              dataset:
                ann_file: data/ucf/train.txt
                data_prefix: {video: data/ucf/videos, img: /abs/frames}
            val_dataloader:
              dataset:
                ann_file: /abs/val.txt
            """);

        var overrides = ConfigPaths.Absolutize(document, "/base/dir");

        Assert.Equal(
        [
            "load_from='/base/dir/work_dirs/a/epoch_3.pth'",
            "work_dir='/base/dir/runs/x'",
            "train_dataloader.dataset.ann_file='/base/dir/data/ucf/train.txt'",
            "train_dataloader.dataset.data_prefix.video='/base/dir/data/ucf/videos'",
        ], overrides);
    }

    [Fact]
    public void AvaMetricFilesBecomeAbsolute()
    {
        var document = Load("""
            test_evaluator:
            - {type: AVAMetric, ann_file: ava/val.csv, label_file: ava/labels.pbtxt, exclude_file: /abs/excluded.csv}
            """);

        Assert.Equal(
        [
            "test_evaluator.0.ann_file='/b/ava/val.csv'",
            "test_evaluator.0.label_file='/b/ava/labels.pbtxt'",
        ], ConfigPaths.Absolutize(document, "/b"));
    }

    [Fact]
    public void WithADataRootOnlyTheRootMoves()
    {
        var document = Load("""
            test_dataloader:
              dataset:
                data_root: data/kinetics
                ann_file: test.txt
                label_file: labels.pbtxt
                data_prefix: {video: videos}
            """);

        Assert.Equal(["test_dataloader.dataset.data_root='/b/data/kinetics'"], ConfigPaths.Absolutize(document, "/b"));
    }

    [Fact]
    public void ListElementsAreAddressedByIndexAndTheOverridesApply()
    {
        var document = Load("""
            datasets:
              - {ann_file: "it's/a.txt"}
              - {ann_file: b.txt, pretrained: null, load_from: ''}
            """);
        var overrides = ConfigPaths.Absolutize(document, directory);

        Assert.Equal(2, overrides.Count);
        var reloaded = ConfigLoader.LoadUnvalidated(Path.Combine(directory, "c.yaml"), overrides);
        Assert.Equal(Path.Combine(directory, "it's/a.txt"), reloaded.Get("datasets.0.ann_file"));
        Assert.Equal(Path.Combine(directory, "b.txt"), reloaded.Get("datasets.1.ann_file"));
        Assert.Empty(ConfigPaths.Absolutize(reloaded, "/elsewhere"));
    }
}
