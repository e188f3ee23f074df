using OpenCvSharp;

namespace Cluster.Tests.Data;

/// <summary>Writes small mp4 files whose frames are uniform colours, so decoded frames can be checked.</summary>
internal static class TestVideos
{
    /// <summary>Frame i is uniform grey of value <paramref name="greyStep"/> × i.</summary>
    public static string WriteGreyRamp(string path, int frameCount, int greyStep, int size = 32)
    {
        using var writer = new VideoWriter(path, FourCC.FromString("mp4v"), 25, new Size(size, size));
        for (int i = 0; i < frameCount; i++)
        {
            using var frame = new Mat(size, size, MatType.CV_8UC3, Scalar.All(greyStep * i));
            writer.Write(frame);
        }
        return path;
    }

    /// <summary>All frames one BGR colour.</summary>
    public static string WriteSolid(string path, int frameCount, Scalar bgr, int size = 32)
    {
        using var writer = new VideoWriter(path, FourCC.FromString("mp4v"), 25, new Size(size, size));
        using var frame = new Mat(size, size, MatType.CV_8UC3, bgr);
        for (int i = 0; i < frameCount; i++)
            writer.Write(frame);
        return path;
    }
}
