using Cluster.Training.Data.Transforms;

namespace Cluster.Tests.Data;

/// <summary>Offsets hand-computed from the rules of mmaction/datasets/transforms/loading.py (v1.2.0).</summary>
public class SampleFramesTests
{
    private static int[] Sample(int totalFrames, int clipLen, int interval, int numClips, bool testMode,
        int startIndex = 0, string outOfBound = "loop", bool twiceSample = false, int seed = 0) =>
        new SampleFrames(new SampleFramesConfig
        {
            ClipLen = clipLen, FrameInterval = interval, NumClips = numClips, TestMode = testMode,
            OutOfBoundOpt = outOfBound, TwiceSample = twiceSample,
        }).FrameIndices(totalFrames, startIndex, new Random(seed));

    [Fact]
    public void Train_segments_each_get_one_random_offset_inside_their_segment()
    {
        // F=10, clip_len 1, 3 clips: avg = (10 - 1 + 1) // 3 = 3, offsets [0,3,6] + randint(3).
        var seen = new HashSet<int>[3] { [], [], [] };
        for (int seed = 0; seed < 200; seed++)
        {
            var inds = Sample(10, 1, 1, 3, testMode: false, seed: seed);
            Assert.Equal(3, inds.Length);
            for (int clip = 0; clip < 3; clip++)
                seen[clip].Add(inds[clip]);
        }
        Assert.Equal([0, 1, 2], seen[0].Order());
        Assert.Equal([3, 4, 5], seen[1].Order());
        Assert.Equal([6, 7, 8], seen[2].Order());
    }

    [Fact]
    public void Train_with_segment_length_one_is_fixed()
    {
        // F=5, clip_len 2, interval 2, 2 clips: ori 4, avg = (5-4+1)//2 = 1, offsets [0, 1], frames 0,2 | 1,3.
        Assert.Equal([0, 2, 1, 3], Sample(5, 2, 2, 2, testMode: false));
        Assert.Equal([1, 3, 2, 4], Sample(5, 2, 2, 2, testMode: false, startIndex: 1));
    }

    [Fact]
    public void Train_with_no_room_per_segment_draws_sorted_offsets()
    {
        // F=6, clip_len 4, 4 clips: avg = (6-4+1)//4 = 0 and 6 > max(4, 4): sorted randint(3, size 4).
        for (int seed = 0; seed < 50; seed++)
        {
            var inds = Sample(6, 4, 1, 4, testMode: false, seed: seed);
            var offsets = Enumerable.Range(0, 4).Select(clip => inds[clip * 4]).ToArray();
            Assert.Equal(offsets.Order(), offsets);
            Assert.All(offsets, offset => Assert.InRange(offset, 0, 2));
            for (int clip = 0; clip < 4; clip++)
                Assert.Equal(Enumerable.Range(offsets[clip], 4), inds[(clip * 4)..(clip * 4 + 4)]);
        }
    }

    [Fact]
    public void Train_with_zero_average_rounds_even_spacing_half_to_even()
    {
        // F=4, clip_len 1, interval 4, 4 clips: ori 4, avg 0, F > max(4,4) false, ratio (4-4+1)/4 = 0.25,
        // around([0, .25, .5, .75]) = [0, 0, 0, 1].
        Assert.Equal([0, 0, 0, 1], Sample(4, 1, 4, 4, testMode: false));
    }

    [Fact]
    public void Train_on_too_short_video_starts_at_zero_and_loops_or_repeats_last()
    {
        // F=2, clip_len 4: avg = (2-4+1)//1 = -1 → offsets 0; frames 0..3.
        Assert.Equal([0, 1, 0, 1], Sample(2, 4, 1, 1, testMode: false));
        Assert.Equal([0, 1, 1, 1], Sample(2, 4, 1, 1, testMode: false, outOfBound: "repeat_last"));
    }

    [Fact]
    public void Test_mode_2d_takes_segment_centres()
    {
        // F=10, 3 clips: avg 10/3, offsets int([1.667, 5, 8.333]) = [1, 5, 8].
        Assert.Equal([1, 5, 8], Sample(10, 1, 1, 3, testMode: true));
        Assert.Equal([2, 6, 9], Sample(10, 1, 1, 3, testMode: true, startIndex: 1));
        // twice_sample appends the unshifted bases int([0, 3.333, 6.667]) = [0, 3, 6].
        Assert.Equal([1, 5, 8, 0, 3, 6], Sample(10, 1, 1, 3, testMode: true, twiceSample: true));
        // TSN test: 25 clips of a 50-frame video → 1, 3, 5, ..., 49.
        Assert.Equal(Enumerable.Range(0, 25).Select(i => 2 * i + 1), Sample(50, 1, 1, 25, testMode: true));
    }

    [Fact]
    public void Test_mode_3d_spreads_clips_from_first_to_last_possible_offset()
    {
        // F=20, clip_len 4, interval 2, 3 clips: ori (4-1)*2+1 = 7, max offset 13, step 6.5, round([0, 6.5, 13]) =
        // [0, 6, 13].
        Assert.Equal([0, 2, 4, 6, 6, 8, 10, 12, 13, 15, 17, 19], Sample(20, 4, 2, 3, testMode: true));
        // One clip: max offset (10 - 4) // 2 = 3.
        Assert.Equal([3, 4, 5, 6], Sample(10, 4, 1, 1, testMode: true));
        // Shorter than the clip: offset 0, indices wrap.
        Assert.Equal([0, 1, 2, 3, 4, 0, 1, 2], Sample(5, 8, 1, 1, testMode: true));
    }

    [Fact]
    public void Apply_records_clip_keys()
    {
        using var sample = new VideoSample(0, new Random(0)) { TotalFrames = 10, StartIndex = 1 };
        new SampleFrames(new SampleFramesConfig { ClipLen = 1, NumClips = 3, TestMode = true }).Apply(sample);
        Assert.Equal([2, 6, 9], sample.FrameInds);
        Assert.Equal(3, sample.NumClips);
        Assert.Equal(1, sample.ClipLen);
    }

    [Fact]
    public void Rejects_unknown_out_of_bound_option()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new SampleFrames(new SampleFramesConfig { ClipLen = 1, OutOfBoundOpt = "wrap" }));
        Assert.Contains("out_of_bound_opt", error.Message);
    }
}
