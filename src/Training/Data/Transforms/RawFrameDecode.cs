using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("RawFrameDecode")]
public sealed class RawFrameDecodeConfig : TransformConfig
{
    public string IoBackend { get; init; } = "disk";
    public string DecodingBackend { get; init; } = "cv2";

    public override IVideoTransform Build() =>
        IoBackend == "disk"
            ? new RawFrameDecode()
            : throw new ArgumentException($"RawFrameDecode.io_backend '{IoBackend}' is not supported (only disk)");
}

/// <summary>Reads <c>frame_dir/filename_tmpl.format(index + offset)</c> for each sampled index (RGB).</summary>
public sealed class RawFrameDecode : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        if (sample.Modality != "RGB")
            throw new NotSupportedException($"RawFrameDecode: modality '{sample.Modality}' is not supported (only RGB)");
        var frameDir = sample.FrameDir ?? throw new InvalidOperationException("RawFrameDecode needs a frame_dir (RawframeDataset)");
        var loaded = new Dictionary<int, Mat>();
        var frames = new List<Mat>(sample.FrameInds.Length);
        try
        {
            foreach (int index in sample.FrameInds)
            {
                if (!loaded.TryGetValue(index, out var frame))
                {
                    var file = Path.Combine(frameDir, PythonIndexFormat.Format(sample.FilenameTmpl, index + sample.Offset));
                    frame = FrameConversion.ReadRgbImage(file);
                    loaded[index] = frame;
                    frames.Add(frame);
                }
                else
                {
                    frames.Add(frame.Clone());
                }
            }
        }
        catch
        {
            foreach (var frame in frames)
                frame.Dispose();
            throw;
        }
        sample.ReplaceImgs(frames);
    }
}
