using Cluster.Training.Configs;
using Cluster.Training.Data.Transforms;

namespace Cluster.Training.Data.Ava;

[ConfigType("SampleAVAFrames")]
public sealed class SampleAvaFramesConfig : TransformConfig
{
    public required int ClipLen { get; init; }
    public int FrameInterval { get; init; } = 2;
    public bool TestMode { get; init; }

    public override IVideoTransform Build() => new SampleAvaFrames(this);
}

/// <summary>
/// MMAction2's <c>SampleAVAFrames</c>: <c>clip_len</c> frames <c>frame_interval</c> apart around the keyframe,
/// starting clip_len // 2 intervals before it; in training each frame is jittered by a random offset in
/// [−interval // 2, (interval + 1) // 2) (Python's floor division, drawn from the sample's random source); indices are
/// clamped to the video's frames, then the start index is added. MMAction2 1.x also adds start_index to the centre
/// (so with start_index 1 it would centre one frame late); here the centre is always the keyframe's own frame
/// (timestamp − timestamp_start) · fps, 0-based, which is file img_{centre + start_index}.
/// </summary>
public sealed class SampleAvaFrames : IVideoTransform
{
    private readonly SampleAvaFramesConfig config;

    public SampleAvaFrames(SampleAvaFramesConfig config)
    {
        if (config.ClipLen <= 0 || config.FrameInterval <= 0)
            throw new ArgumentException("SampleAVAFrames: clip_len and frame_interval must be positive", nameof(config));
        this.config = config;
    }

    public void Apply(VideoSample sample)
    {
        var timing = sample.Keyframe ?? throw new InvalidOperationException("SampleAVAFrames needs an AVA keyframe (AVADataset)");
        sample.FrameInds = FrameIndices(timing.CentreFrame, timing.ShotFrames, sample.StartIndex, sample.Random);
        sample.ClipLen = config.ClipLen;
        sample.NumClips = 1;
    }

    /// <summary>Absolute frame indices (start index added) for a keyframe at 0-based frame <paramref name="centre"/>.</summary>
    public int[] FrameIndices(int centre, int shotFrames, int startIndex, Random random)
    {
        if (shotFrames <= 0)
            throw new ArgumentException($"SampleAVAFrames: the video has {shotFrames} frames", nameof(shotFrames));
        int interval = config.FrameInterval;
        int start = centre - config.ClipLen / 2 * interval;
        int low = (int)Math.Floor(-interval / 2.0), high = (interval + 1) / 2;
        var indices = new int[config.ClipLen];
        for (int k = 0; k < config.ClipLen; k++)
        {
            int index = start + k * interval;
            if (!config.TestMode)
                index += random.Next(low, high);
            indices[k] = Math.Clamp(index, 0, shotFrames - 1) + startIndex;
        }
        return indices;
    }
}
