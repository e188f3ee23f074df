using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;

namespace Cluster.Training.Data.Transforms;

/// <summary>
/// MMAction2's decoder initialisers. Decord, OpenCV and PyAV are all served by OpenCV's <c>VideoCapture</c> here;
/// the keys of each are accepted so MMAction2 configs bind unchanged.
/// </summary>
[ConfigType("DecordInit")]
[ConfigType("OpenCVInit")]
[ConfigType("PyAVInit")]
public sealed class VideoInitConfig : TransformConfig
{
    public string IoBackend { get; init; } = "disk";
    public int NumThreads { get; init; } = 1;

    public override IVideoTransform Build() =>
        IoBackend == "disk"
            ? new VideoInit()
            : throw new ArgumentException($"io_backend '{IoBackend}' is not supported (only disk)");
}

/// <summary>Opens the sample's video and sets <c>total_frames</c>.</summary>
public sealed class VideoInit : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        var filename = sample.Filename ?? throw new InvalidOperationException("video init needs a filename (VideoDataset)");
        // Like DecordInit: a name without extension means an mp4.
        if (!Path.HasExtension(filename))
            filename += ".mp4";
        sample.VideoReader?.Dispose();
        sample.VideoReader = new OpenCvVideoReader(filename);
        sample.TotalFrames = sample.VideoReader.TotalFrames;
    }
}
