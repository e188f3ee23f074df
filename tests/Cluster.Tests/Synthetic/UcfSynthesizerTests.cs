using System.Diagnostics;
using Cluster.Training.Synthetic;
using OpenCvSharp;

namespace Cluster.Tests.Synthetic;

public class UcfSynthesizerTests
{
    [Fact]
    public void Writes_ucf_layout_with_decodable_videos_rawframes_and_lists()
    {
        using var dir = new TempDirectory();
        var result = UcfSynthesizer.Generate(new SynthOptions
        {
            OutDir = dir.Path, Classes = 3, VideosPerClass = 5, Frames = 12, Size = 48, Seed = 1, ValFraction = 0.2,
        });

        Assert.Equal(".mp4", result.VideoExtension);
        Assert.Equal((12, 3), (result.TrainVideos, result.ValVideos));
        Assert.Equal(["1 CircleMoveRight", "2 SquareMoveLeft", "3 TriangleMoveDown"], File.ReadAllLines(result.ClassIndex));

        var train = File.ReadAllLines(result.TrainList!);
        Assert.Equal("CircleMoveRight/v_CircleMoveRight_g01_c01.mp4 0", train[0]);
        Assert.Equal(12, train.Length);
        Assert.Equal("SquareMoveLeft/v_SquareMoveLeft_g02_c01.mp4 1", File.ReadAllLines(result.ValList!)[1]);
        Assert.Equal("TriangleMoveDown/v_TriangleMoveDown_g01_c04 12 2", File.ReadAllLines(result.TrainRawframeList!)[11]);

        foreach (var line in train.Concat(File.ReadAllLines(result.ValList!)))
        {
            var path = Path.Combine(result.VideoDir, line.Split(' ')[0]);
            using var capture = new VideoCapture(path);
            Assert.True(capture.IsOpened(), path);
            Assert.Equal(12, (int)capture.Get(VideoCaptureProperties.FrameCount));
            Assert.Equal(48, (int)capture.Get(VideoCaptureProperties.FrameWidth));
            Assert.Equal(48, (int)capture.Get(VideoCaptureProperties.FrameHeight));
        }
        var frameDir = Path.Combine(result.RawframeDir, "SquareMoveLeft", "v_SquareMoveLeft_g02_c01");
        Assert.Equal(12, Directory.GetFiles(frameDir, "img_*.jpg").Length);
        using var last = Cv2.ImRead(Path.Combine(frameDir, "img_00012.jpg"));
        Assert.Equal((48, 48), (last.Rows, last.Cols));
    }

    [Fact]
    public void Same_seed_gives_identical_lists_and_frames()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        SynthOptions Options(string outDir) => new() { OutDir = outDir, Classes = 2, VideosPerClass = 3, Frames = 6, Size = 32, Seed = 7 };
        var a = UcfSynthesizer.Generate(Options(first.Path));
        var b = UcfSynthesizer.Generate(Options(second.Path));

        foreach (var list in new[] { "train_list.txt", "val_list.txt", "train_list_rawframes.txt", "classInd.txt" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.OutDir, list)), File.ReadAllBytes(Path.Combine(b.OutDir, list)));
        var relativeFrames = Directory.GetFiles(a.RawframeDir, "*.jpg", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(a.RawframeDir, path)).Order().ToList();
        Assert.Equal(2 * 3 * 6, relativeFrames.Count);
        foreach (var relative in relativeFrames)
            Assert.Equal(File.ReadAllBytes(Path.Combine(a.RawframeDir, relative)), File.ReadAllBytes(Path.Combine(b.RawframeDir, relative)));

        var video = File.ReadAllLines(a.TrainList!)[0].Split(' ')[0];
        using var captureA = new VideoCapture(Path.Combine(a.VideoDir, video));
        using var captureB = new VideoCapture(Path.Combine(b.VideoDir, video));
        using var frameA = new Mat();
        using var frameB = new Mat();
        while (captureA.Read(frameA))
        {
            Assert.True(captureB.Read(frameB));
            Assert.Equal(0, Cv2.Norm(frameA, frameB, NormTypes.L1));
        }
    }

    [Fact]
    public void Different_seeds_give_different_videos()
    {
        using var first = new TempDirectory();
        using var second = new TempDirectory();
        var a = UcfSynthesizer.Generate(new SynthOptions { OutDir = first.Path, Classes = 1, VideosPerClass = 1, Frames = 2, Size = 32, Seed = 1, ValFraction = 0 });
        var b = UcfSynthesizer.Generate(new SynthOptions { OutDir = second.Path, Classes = 1, VideosPerClass = 1, Frames = 2, Size = 32, Seed = 2, ValFraction = 0 });
        var frame = Path.Combine("CircleMoveRight", "v_CircleMoveRight_g01_c01", "img_00001.jpg");
        Assert.NotEqual(File.ReadAllBytes(Path.Combine(a.RawframeDir, frame)), File.ReadAllBytes(Path.Combine(b.RawframeDir, frame)));
    }

    [Fact]
    public void Eight_classes_of_twenty_small_videos_take_seconds()
    {
        using var dir = new TempDirectory();
        var watch = Stopwatch.StartNew();
        var result = UcfSynthesizer.Generate(new SynthOptions { OutDir = dir.Path, Classes = 8, VideosPerClass = 20, Frames = 16, Size = 64 });
        watch.Stop();
        Assert.Equal(160, result.TrainVideos + result.ValVideos);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(8), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Rejects_more_classes_than_the_mode_offers()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            UcfSynthesizer.Generate(new SynthOptions { OutDir = Path.GetTempPath(), Classes = 11, MotionOnly = true }));
        Assert.Contains("at most 10", error.Message);
    }
}
