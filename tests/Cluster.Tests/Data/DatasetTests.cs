using Cluster.Training.Data.Datasets;
using Cluster.Training.Data.Decoding;
using Cluster.Training.Data.Transforms;
using Cluster.Tests.Synthetic;
using OpenCvSharp;
using TorchSharp;

namespace Cluster.Tests.Data;

public class DatasetTests : IDisposable
{
    private readonly TempDirectory dir = new();

    private static List<TransformConfig> VideoPipeline(int numClips) =>
    [
        new VideoInitConfig(),
        new SampleFramesConfig { ClipLen = 1, NumClips = numClips, TestMode = true },
        new VideoDecodeConfig(),
        new FormatShapeConfig { InputFormat = "NCHW" },
        new PackActionInputsConfig(),
    ];

    private string WriteList(string name, params string[] lines)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Video_dataset_decodes_the_sampled_frames()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "videos", "A"));
        TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "videos", "A", "ramp.mp4"), frameCount: 20, greyStep: 12);
        var dataset = new VideoDatasetConfig
        {
            AnnFile = WriteList("list.txt", "A/ramp.mp4 3"),
            DataPrefix = new DataPrefixConfig { Video = Path.Combine(dir.Path, "videos") },
            Pipeline = VideoPipeline(numClips: 4),
        }.Build();

        using var sample = dataset.Load(0, seed: 0, epoch: 0);
        Assert.Equal([3], sample.Labels);
        Assert.Equal([4, 3, 32, 32], sample.Inputs.shape);
        // Test-mode centres of 4 segments of 20 frames: 2, 7, 12, 17 → greys ≈ 24, 84, 144, 204.
        var greys = sample.Inputs.to_type(torch.ScalarType.Float32).mean([1, 2, 3]).data<float>().ToArray();
        Assert.Equal([24f, 84f, 144f, 204f], greys.Select(g => MathF.Round(g / 12) * 12));
    }

    [Fact]
    public void Rawframe_dataset_reads_frames_from_start_index_one()
    {
        var frameDir = Directory.CreateDirectory(Path.Combine(dir.Path, "rawframes", "v_1")).FullName;
        for (int i = 1; i <= 6; i++)
            Cv2.ImWrite(Path.Combine(frameDir, $"img_{i:00000}.jpg"), new Mat(8, 10, MatType.CV_8UC3, OpenCvSharp.Scalar.All(i * 20)));
        var dataset = new RawframeDatasetConfig
        {
            AnnFile = WriteList("frames.txt", "v_1 6 1"),
            DataPrefix = new DataPrefixConfig { Img = Path.Combine(dir.Path, "rawframes") },
            Pipeline =
            [
                // clip_len 2 in test mode on 6 frames: max offset 4, offset 2, indices 2, 3 → files 3 and 4.
                new SampleFramesConfig { ClipLen = 2, TestMode = true },
                new RawFrameDecodeConfig(),
                new FormatShapeConfig { InputFormat = "NCTHW" },
                new PackActionInputsConfig(),
            ],
        }.Build();

        using var sample = dataset.Load(0, 0, 0);
        Assert.Equal([1, 3, 2, 8, 10], sample.Inputs.shape);
        Assert.InRange(sample.Inputs[0, 0, 0, 4, 4].item<byte>(), 58, 62);
        Assert.InRange(sample.Inputs[0, 2, 1, 4, 4].item<byte>(), 78, 82);
    }

    [Fact]
    public void Missing_frame_file_is_named()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "empty"));
        var dataset = new RawframeDatasetConfig
        {
            AnnFile = WriteList("frames.txt", "empty 4 0"),
            DataPrefix = new DataPrefixConfig { Img = dir.Path },
            FilenameTmpl = "frame{:04d}.png", // test mode, 1 clip of 4 frames: index 2, file 3
            Pipeline = [new SampleFramesConfig { ClipLen = 1, TestMode = true }, new RawFrameDecodeConfig(),
                new FormatShapeConfig { InputFormat = "NCHW" }, new PackActionInputsConfig()],
        }.Build();
        var error = Assert.Throws<InvalidMediaException>(() => dataset.Load(0, 0, 0));
        Assert.Contains(Path.Combine(dir.Path, "empty", "frame0003.png"), error.Message);
    }

    [Fact]
    public void Missing_video_fails_naming_the_file_unless_skipped()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "v"));
        TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "v", "good0.mp4"), 4, 10);
        TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "v", "good2.mp4"), 4, 10);
        File.WriteAllText(Path.Combine(dir.Path, "v", "corrupt3.mp4"), "not a video");
        var list = WriteList("list.txt", "good0.mp4 0", "missing1.mp4 1", "good2.mp4 2", "corrupt3.mp4 3");
        VideoDatasetConfig Config(bool skip) => new()
        {
            AnnFile = list, DataPrefix = new DataPrefixConfig { Video = Path.Combine(dir.Path, "v") },
            Pipeline = VideoPipeline(1), SkipInvalid = skip,
        };

        var strict = Config(skip: false).Build();
        Assert.Contains(Path.Combine(dir.Path, "v", "missing1.mp4"),
            Assert.Throws<InvalidMediaException>(() => strict.Load(1, 0, 0)).Message);

        var lenient = Config(skip: true).Build();
        using (var replaced = lenient.Load(1, 0, 0))
            Assert.Equal((2, 2), (replaced.DatasetIndex, replaced.Labels[0]));
        // The corrupt last entry wraps around to the first.
        using (var wrapped = lenient.Load(3, 0, 0))
            Assert.Equal(0, wrapped.DatasetIndex);
        Assert.Equal(2, lenient.SkippedSamples);
    }

    [Fact]
    public void Same_seed_epoch_and_index_give_the_same_augmentation()
    {
        Directory.CreateDirectory(Path.Combine(dir.Path, "v"));
        TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "v", "ramp.mp4"), 30, 8);
        var dataset = new VideoDatasetConfig
        {
            AnnFile = WriteList("list.txt", "ramp.mp4 0"),
            DataPrefix = new DataPrefixConfig { Video = Path.Combine(dir.Path, "v") },
            Pipeline =
            [
                new VideoInitConfig(), new SampleFramesConfig { ClipLen = 1, NumClips = 3 }, new VideoDecodeConfig(),
                new RandomResizedCropConfig(), new ResizeConfig { Scale = [16, 16], KeepRatio = false },
                new FormatShapeConfig { InputFormat = "NCHW" }, new PackActionInputsConfig(),
            ],
        }.Build();

        using var first = dataset.Load(0, seed: 3, epoch: 1);
        using var again = dataset.Load(0, seed: 3, epoch: 1);
        var otherEpochs = Enumerable.Range(2, 6).Select(epoch => dataset.Load(0, 3, epoch)).ToList();
        Assert.True(Same(first.Inputs, again.Inputs));
        Assert.Contains(otherEpochs, other => !Same(other.Inputs, first.Inputs));
        otherEpochs.ForEach(other => other.Dispose());
    }

    private static bool Same(torch.Tensor a, torch.Tensor b) => a.eq(b).all().item<bool>();

    public void Dispose() => dir.Dispose();
}
