using System.Runtime.InteropServices;
using OpenCvSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Decoding;

/// <summary>Bulk conversions between OpenCV frames (HWC) and tensors.</summary>
internal static class FrameConversion
{
    /// <summary>Decodes an image file as an RGB uint8 frame.</summary>
    public static Mat ReadRgbImage(string path)
    {
        if (!File.Exists(path))
            throw new InvalidMediaException(path, "frame file not found");
        using var bgr = Cv2.ImRead(path, ImreadModes.Color);
        if (bgr.Empty())
            throw new InvalidMediaException(path, "frame file could not be decoded");
        return BgrToRgb(bgr);
    }

    public static Mat BgrToRgb(Mat bgr)
    {
        var rgb = new Mat();
        Cv2.CvtColor(bgr, rgb, ColorConversionCodes.BGR2RGB);
        return rgb;
    }

    /// <summary>
    /// Stacks equally shaped frames into one [M, H, W, C] tensor: uint8 for 8-bit frames, float32 for 32-bit float
    /// frames (after <c>Normalize</c>). One bulk copy per frame.
    /// </summary>
    public static Tensor Stack(IReadOnlyList<Mat> frames)
    {
        if (frames.Count == 0)
            throw new ArgumentException("no frames to stack", nameof(frames));
        var first = frames[0];
        int height = first.Rows, width = first.Cols, channels = first.Channels();
        long frameElements = (long)height * width * channels;
        var shape = new long[] { frames.Count, height, width, channels };
        bool isFloat = first.Depth() == MatType.CV_32F;
        if (!isFloat && first.Depth() != MatType.CV_8U)
            throw new NotSupportedException($"frames of OpenCV depth {first.Depth()} cannot be stacked");

        var bytes = isFloat ? null : new byte[frames.Count * frameElements];
        var floats = isFloat ? new float[frames.Count * frameElements] : null;
        for (int i = 0; i < frames.Count; i++)
        {
            var frame = frames[i];
            if (frame.Rows != height || frame.Cols != width || frame.Channels() != channels || frame.Type() != first.Type())
                throw new InvalidOperationException(
                    $"frame {i} is {frame.Cols}x{frame.Rows}x{frame.Channels()}, frame 0 is {width}x{height}x{channels}");
            using var continuous = frame.IsContinuous() ? null : frame.Clone();
            var source = (continuous ?? frame).Data;
            if (isFloat)
                Marshal.Copy(source, floats!, (int)(i * frameElements), (int)frameElements);
            else
                Marshal.Copy(source, bytes!, (int)(i * frameElements), (int)frameElements);
        }
        return isFloat ? torch.tensor(floats!, shape) : torch.tensor(bytes!, shape);
    }
}
