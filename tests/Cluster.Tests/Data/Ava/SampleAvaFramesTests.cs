using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Transforms;

namespace Cluster.Tests.Data.Ava;

public class SampleAvaFramesTests
{
    private static SampleAvaFrames Sampler(int clipLen, int interval, bool testMode = true) =>
        new(new SampleAvaFramesConfig { ClipLen = clipLen, FrameInterval = interval, TestMode = testMode });

    [Fact]
    public void Test_mode_takes_clip_len_frames_around_the_keyframe()
    {
        // start = centre − clip_len // 2 · interval = 10 − 4; then + start_index 1.
        Assert.Equal([7, 9, 11, 13], Sampler(4, 2).FrameIndices(centre: 10, shotFrames: 100, startIndex: 1, new Random(0)));
        Assert.Equal([7, 10, 13], Sampler(3, 3).FrameIndices(centre: 10, shotFrames: 100, startIndex: 0, new Random(0)));
    }

    [Fact]
    public void Indices_are_clamped_to_the_video()
    {
        Assert.Equal([1, 1, 2, 4], Sampler(4, 2).FrameIndices(centre: 1, shotFrames: 12, startIndex: 1, new Random(0)));
        Assert.Equal([8, 10, 12, 12], Sampler(4, 2).FrameIndices(centre: 11, shotFrames: 12, startIndex: 1, new Random(0)));
    }

    [Fact]
    public void Training_jitters_each_frame_within_python_floor_division_bounds()
    {
        // interval 4: offsets randint(−4 // 2, (4 + 1) // 2) = [−2, 2).
        var seen = new HashSet<int>();
        for (int seed = 0; seed < 200; seed++)
        {
            var indices = Sampler(2, 4, testMode: false).FrameIndices(centre: 50, shotFrames: 100, startIndex: 0, new Random(seed));
            seen.Add(indices[0] - 46);
            seen.Add(indices[1] - 50);
        }
        Assert.Equal([-2, -1, 0, 1], seen.Order());

        // interval 1 still jitters: randint(−1, 1) = {−1, 0}.
        var single = Enumerable.Range(0, 100)
            .Select(seed => Sampler(1, 1, testMode: false).FrameIndices(centre: 5, shotFrames: 10, startIndex: 0, new Random(seed))[0] - 5)
            .ToHashSet();
        Assert.Equal([-1, 0], single.Order());
    }

    [Fact]
    public void Apply_reads_the_keyframe_timing_of_the_sample()
    {
        using var sample = new VideoSample(0, new Random(0))
        {
            StartIndex = 1,
            Keyframe = new AvaClipTiming(new AvaKey("v", 903), TimestampStart: 900, Fps: 4, ShotFrames: 40),
        };
        Sampler(4, 1).Apply(sample);
        // Keyframe 903 at 4 fps is 0-based frame 12: frames 10..13, files 11..14.
        Assert.Equal([11, 12, 13, 14], sample.FrameInds);
        Assert.Equal((4, 1), (sample.ClipLen, sample.NumClips));

        using var plain = new VideoSample(0, new Random(0));
        Assert.Contains("AVADataset", Assert.Throws<InvalidOperationException>(() => Sampler(4, 1).Apply(plain)).Message);
    }
}
