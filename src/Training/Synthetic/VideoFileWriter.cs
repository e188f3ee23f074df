using OpenCvSharp;

namespace Cluster.Training.Synthetic;

/// <summary>
/// Encodes frames with OpenCV's VideoWriter: MPEG-4 Part 2 (fourcc mp4v) in .mp4, which the official OpenCvSharp
/// Linux runtime encodes; Motion-JPEG .avi where it cannot.
/// </summary>
internal sealed class VideoFileWriter
{
    private readonly FourCC fourCC;

    private VideoFileWriter(FourCC fourCC, string extension)
    {
        this.fourCC = fourCC;
        Extension = extension;
    }

    public string Extension { get; }

    /// <summary>Picks the codec by writing a one-frame probe into <paramref name="directory"/>.</summary>
    public static VideoFileWriter Choose(string directory, double fps)
    {
        var mp4 = new VideoFileWriter(FourCC.FromString("mp4v"), ".mp4");
        return mp4.CanWrite(directory, fps) ? mp4 : new VideoFileWriter(FourCC.MJPG, ".avi");
    }

    public void Write(string path, IReadOnlyList<Mat> bgrFrames, double fps)
    {
        var size = new Size(bgrFrames[0].Cols, bgrFrames[0].Rows);
        using var writer = new VideoWriter(path, fourCC, fps, size);
        if (!writer.IsOpened())
            throw new IOException($"{path}: OpenCV could not open a video writer");
        foreach (var frame in bgrFrames)
            writer.Write(frame);
    }

    private bool CanWrite(string directory, double fps)
    {
        var probe = Path.Combine(directory, $".codec-probe{Extension}");
        try
        {
            using var frame = new Mat(16, 16, MatType.CV_8UC3, Scalar.All(0));
            using var writer = new VideoWriter(probe, fourCC, fps, new Size(16, 16));
            if (!writer.IsOpened())
                return false;
            writer.Write(frame);
            return true;
        }
        finally
        {
            File.Delete(probe);
        }
    }
}
