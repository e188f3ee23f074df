using Cluster.Training.Data.Decoding;
using Cluster.Tests.Synthetic;
using OpenCvSharp;

namespace Cluster.Tests.Data;

public class OpenCvVideoReaderTests : IDisposable
{
    private readonly TempDirectory dir = new();

    /// <summary>Every frame decoded in order by a plain VideoCapture: the reference for seeks and skips.</summary>
    private static List<double> SequentialGreys(string path)
    {
        using var capture = new VideoCapture(path);
        using var frame = new Mat();
        var greys = new List<double>();
        while (capture.Read(frame))
            greys.Add(frame.Mean().Val0);
        return greys;
    }

    [Fact]
    public void Reads_requested_frames_in_request_order_across_seeks()
    {
        var path = TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "ramp.mp4"), frameCount: 60, greyStep: 4);
        var expected = SequentialGreys(path);
        using var reader = new OpenCvVideoReader(path);
        Assert.Equal(60, reader.TotalFrames);
        // 3 is reached by grabbing, 40 by a forward seek (gap > 24), 50 by grabbing again; 3 is asked twice.
        var frames = reader.ReadFrames([50, 3, 40, 3]);
        Assert.Equal([expected[50], expected[3], expected[40], expected[3]], frames.Select(frame => frame.Mean().Val0));
        Assert.Equal(200, expected[50], 6.0); // the ramp survives the lossy codec roughly
        Assert.NotSame(frames[1], frames[3]);
        foreach (var frame in frames)
            frame.Dispose();
    }

    [Fact]
    public void Reads_backwards_after_reading_forwards()
    {
        var path = TestVideos.WriteGreyRamp(Path.Combine(dir.Path, "ramp.mp4"), frameCount: 40, greyStep: 6);
        var expected = SequentialGreys(path);
        using var reader = new OpenCvVideoReader(path);
        using var late = reader.ReadFrames([30])[0];
        using var early = reader.ReadFrames([5])[0];
        Assert.Equal(expected[30], late.Mean().Val0);
        Assert.Equal(expected[5], early.Mean().Val0);
    }

    [Fact]
    public void Converts_bgr_to_rgb()
    {
        var path = TestVideos.WriteSolid(Path.Combine(dir.Path, "red.mp4"), 3, new Scalar(0, 0, 255));
        using var reader = new OpenCvVideoReader(path);
        using var frame = reader.ReadFrames([1])[0];
        var mean = frame.Mean();
        Assert.True(mean.Val0 > 230 && mean.Val2 < 25, $"RGB mean {mean}");
    }

    [Fact]
    public void Missing_and_corrupt_files_are_named()
    {
        var missing = Path.Combine(dir.Path, "missing.mp4");
        var error = Assert.Throws<InvalidMediaException>(() => new OpenCvVideoReader(missing));
        Assert.Contains(missing, error.Message);

        var corrupt = Path.Combine(dir.Path, "corrupt.mp4");
        File.WriteAllBytes(corrupt, Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray());
        error = Assert.Throws<InvalidMediaException>(() => new OpenCvVideoReader(corrupt));
        Assert.Contains(corrupt, error.Message);
    }

    public void Dispose() => dir.Dispose();
}
