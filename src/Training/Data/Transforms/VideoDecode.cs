using Cluster.Training.Configs;

namespace Cluster.Training.Data.Transforms;

/// <summary>MMAction2's video decoders, all mapped to the OpenCV reader opened by the init step.</summary>
[ConfigType("DecordDecode")]
[ConfigType("OpenCVDecode")]
[ConfigType("PyAVDecode")]
public sealed class VideoDecodeConfig : TransformConfig
{
    /// <summary>Accepted for Decord/PyAV configs; decoding here is always frame-accurate.</summary>
    public string Mode { get; init; } = "accurate";

    /// <summary>Accepted (PyAVDecode key).</summary>
    public bool MultiThread { get; init; }

    public override IVideoTransform Build() =>
        Mode is "accurate" or "efficient"
            ? new VideoDecode()
            : throw new ArgumentException($"decode mode '{Mode}' is not one of accurate, efficient");
}

/// <summary>Decodes the frames at <c>frame_inds</c> (RGB) and closes the reader.</summary>
public sealed class VideoDecode : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        var reader = sample.VideoReader
            ?? throw new InvalidOperationException("video decode needs an init transform (DecordInit/OpenCVInit) before it");
        try
        {
            sample.ReplaceImgs(reader.ReadFrames(sample.FrameInds));
        }
        finally
        {
            reader.Dispose();
            sample.VideoReader = null;
        }
    }
}
