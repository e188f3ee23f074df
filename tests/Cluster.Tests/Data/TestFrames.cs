using Cluster.Training.Data.Transforms;
using OpenCvSharp;

namespace Cluster.Tests.Data;

/// <summary>Small frames whose pixels say where they came from: R = x, G = y, B = the frame's tag.</summary>
internal static class TestFrames
{
    public static Mat Coordinates(int width, int height, byte tag = 0)
    {
        var pixels = new byte[width * height * 3];
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
            {
                int at = (y * width + x) * 3;
                pixels[at] = (byte)x;
                pixels[at + 1] = (byte)y;
                pixels[at + 2] = tag;
            }
        return Mat.FromPixelData(height, width, MatType.CV_8UC3, pixels).Clone();
    }

    public static VideoSample Sample(int width, int height, int frameCount = 1, int seed = 0)
    {
        var sample = new VideoSample(0, new Random(seed));
        sample.ReplaceImgs(Enumerable.Range(0, frameCount).Select(i => Coordinates(width, height, (byte)i)).ToList());
        return sample;
    }

    /// <summary>(R, G, B) at column x, row y.</summary>
    public static (int R, int G, int B) Pixel(Mat frame, int x, int y)
    {
        var value = frame.At<Vec3b>(y, x);
        return (value.Item0, value.Item1, value.Item2);
    }
}
