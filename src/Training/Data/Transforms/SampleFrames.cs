using Cluster.Training.Configs;

namespace Cluster.Training.Data.Transforms;

[ConfigType("SampleFrames")]
public sealed class SampleFramesConfig : TransformConfig
{
    public required int ClipLen { get; init; }
    public int FrameInterval { get; init; } = 1;
    public int NumClips { get; init; } = 1;
    public bool TemporalJitter { get; init; }
    public bool TwiceSample { get; init; }
    public string OutOfBoundOpt { get; init; } = "loop";
    public bool TestMode { get; init; }
    public bool KeepTailFrames { get; init; }

    public override IVideoTransform Build() => new SampleFrames(this);
}

/// <summary>
/// MMAction2's <c>SampleFrames</c> (mmaction/datasets/transforms/loading.py, v1.2.0, without <c>target_fps</c>):
/// picks <c>num_clips</c> clip offsets, then <c>clip_len</c> frames <c>frame_interval</c> apart in each clip.
/// </summary>
public sealed class SampleFrames : IVideoTransform
{
    private readonly SampleFramesConfig config;

    public SampleFrames(SampleFramesConfig config)
    {
        if (config.ClipLen <= 0 || config.FrameInterval <= 0 || config.NumClips <= 0)
            throw new ArgumentException(
                "SampleFrames: clip_len, frame_interval and num_clips must be positive", nameof(config));
        if (config.OutOfBoundOpt is not ("loop" or "repeat_last"))
            throw new ArgumentException(
                $"SampleFrames.out_of_bound_opt: '{config.OutOfBoundOpt}' is not one of loop, repeat_last", nameof(config));
        this.config = config;
    }

    public void Apply(VideoSample sample)
    {
        sample.FrameInds = FrameIndices(sample.TotalFrames, sample.StartIndex, sample.Random);
        sample.ClipLen = config.ClipLen;
        sample.NumClips = config.NumClips;
    }

    /// <summary>Absolute frame indices (start index added), clip after clip.</summary>
    public int[] FrameIndices(int totalFrames, int startIndex, Random random)
    {
        if (totalFrames <= 0)
            throw new ArgumentException($"SampleFrames: total_frames is {totalFrames}", nameof(totalFrames));
        var offsets = config.TestMode ? TestClipOffsets(totalFrames) : TrainClipOffsets(totalFrames, random);
        int clipLen = config.ClipLen;
        var clips = new double[offsets.Length][];
        for (int clip = 0; clip < offsets.Length; clip++)
        {
            clips[clip] = new double[clipLen];
            for (int t = 0; t < clipLen; t++)
            {
                double index = offsets[clip] + t * config.FrameInterval;
                if (config.TemporalJitter)
                    index += random.Next(config.FrameInterval);
                clips[clip][t] = index;
            }
        }
        foreach (var clip in clips)
            KeepInBounds(clip, totalFrames);
        return clips.SelectMany(clip => clip).Select(index => (int)(index + startIndex)).ToArray();
    }

    private void KeepInBounds(double[] clip, int totalFrames)
    {
        if (config.OutOfBoundOpt == "loop")
        {
            for (int t = 0; t < clip.Length; t++)
                clip[t] %= totalFrames;
            return;
        }
        double lastInBounds = clip.Where(index => index < totalFrames).DefaultIfEmpty(0).Max();
        for (int t = 0; t < clip.Length; t++)
            if (clip[t] >= totalFrames)
                clip[t] = lastInBounds;
    }

    private double[] TrainClipOffsets(int numFrames, Random random)
    {
        int numClips = config.NumClips;
        int oriClipLen = config.ClipLen * config.FrameInterval;
        if (config.KeepTailFrames)
        {
            double avgInterval = (numFrames - oriClipLen + 1) / (double)numClips;
            if (numFrames <= oriClipLen - 1)
                return new double[numClips];
            return Enumerable.Range(0, numClips)
                .Select(i => Math.Truncate(i * avgInterval + random.NextDouble() * avgInterval))
                .ToArray();
        }

        int avg = FloorDiv(numFrames - oriClipLen + 1, numClips);
        if (avg > 0)
            return Enumerable.Range(0, numClips).Select(i => (double)(i * avg + random.Next(avg))).ToArray();
        if (numFrames > Math.Max(numClips, oriClipLen))
            return Enumerable.Range(0, numClips)
                .Select(_ => (double)random.Next(numFrames - oriClipLen + 1))
                .Order()
                .ToArray();
        if (avg == 0)
        {
            double ratio = (numFrames - oriClipLen + 1.0) / numClips;
            return Enumerable.Range(0, numClips).Select(i => Math.Round(i * ratio, MidpointRounding.ToEven)).ToArray();
        }
        return new double[numClips];
    }

    private double[] TestClipOffsets(int numFrames)
    {
        if (config.ClipLen == 1)
        {
            // 2D recognisers: the centre of each of num_clips equal segments.
            double avgInterval = numFrames / (double)config.NumClips;
            var baseOffsets = Enumerable.Range(0, config.NumClips).Select(i => i * avgInterval).ToArray();
            var centred = baseOffsets.Select(offset => offset + avgInterval / 2.0);
            return config.TwiceSample ? centred.Concat(baseOffsets).ToArray() : centred.ToArray();
        }

        int oriClipLen = (config.ClipLen - 1) * config.FrameInterval + 1;
        int maxOffset = Math.Max(numFrames - oriClipLen, 0);
        int clipCount = config.TwiceSample ? config.NumClips * 2 : config.NumClips;
        if (clipCount == 1)
            return [maxOffset / 2];
        // MMAction2 divides by num_clips - 1 even when twice_sample doubles the clip count.
        int segments = config.NumClips - 1;
        if (segments == 0)
            throw new InvalidOperationException("SampleFrames: twice_sample with num_clips 1 divides by zero in MMAction2");
        double between = maxOffset / (double)segments;
        return Enumerable.Range(0, clipCount).Select(i => Math.Round(i * between, MidpointRounding.ToEven)).ToArray();
    }

    private static int FloorDiv(int a, int b) => (int)Math.Floor(a / (double)b);
}
