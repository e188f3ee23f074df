using Cluster.Training.Synthetic;
using OpenCvSharp;

namespace Cluster.Tests.Synthetic;

/// <summary>
/// Motion-only classes must not be separable from frame content alone: the class-averaged mean frames of "move
/// left" and "move right" videos must differ no more than those of random splits of the same videos, while an
/// order-dependent motion statistic separates them.
/// </summary>
public class MotionOnlyTests
{
    private const int VideosPerClass = 96;
    private static readonly SynthOptions Options = new() { OutDir = "", MotionOnly = true, Frames = 16, Size = 32, Seed = 11 };

    private static IEnumerable<List<Mat>> Videos(MotionKind motion)
    {
        var classes = SynthClass.Catalogue(Enum.GetValues<MotionKind>().Length, motionOnly: true);
        int classIndex = classes.ToList().FindIndex(c => c.Motion == motion);
        return Enumerable.Range(0, VideosPerClass).Select(i =>
            ClipRenderer.Render(VideoPlan.Draw(classes[classIndex], Options, classIndex, i), Options.Frames, Options.Size));
    }

    /// <summary>
    /// Per-video mean frame (order-free) with each channel's spatial mean removed, so the random background colour
    /// does not drown the spatial layout.
    /// </summary>
    private static float[] CentredMeanFrame(List<Mat> frames)
    {
        using var sum = new Mat(frames[0].Size(), MatType.CV_32FC3, Scalar.All(0));
        foreach (var frame in frames)
        {
            Cv2.Accumulate(frame, sum, null!);
            frame.Dispose();
        }
        using var mean = new Mat();
        sum.ConvertTo(mean, MatType.CV_32FC3, 1.0 / frames.Count);
        Cv2.Subtract(mean, Cv2.Mean(mean), mean);
        mean.GetArray(out Vec3f[] pixels);
        return pixels.SelectMany(p => new[] { p.Item0, p.Item1, p.Item2 }).ToArray();
    }

    /// <summary>Mean absolute difference between the average image of group A and of group B.</summary>
    private static double GroupDifference(IReadOnlyList<float[]> images, bool[] inGroupA)
    {
        int length = images[0].Length, countA = inGroupA.Count(a => a), countB = images.Count - countA;
        var difference = new double[length];
        for (int i = 0; i < images.Count; i++)
        {
            double weight = inGroupA[i] ? 1.0 / countA : -1.0 / countB;
            for (int p = 0; p < length; p++)
                difference[p] += weight * images[i][p];
        }
        return difference.Average(Math.Abs);
    }

    [Fact]
    public void Left_and_right_have_the_same_class_mean_frame()
    {
        // Permutation test: the left/right split of the pooled videos must not stand out among random splits.
        var images = Videos(MotionKind.MoveLeft).Concat(Videos(MotionKind.MoveRight)).Select(CentredMeanFrame).ToList();
        var byClass = images.Select((_, i) => i < VideosPerClass).ToArray();
        double observed = GroupDifference(images, byClass);

        var random = new Random(5);
        var shuffled = Enumerable.Range(0, 200)
            .Select(_ => GroupDifference(images, byClass.OrderBy(_ => random.Next()).ToArray()))
            .Order()
            .ToArray();
        double percentile95 = shuffled[189];
        Assert.True(observed < percentile95,
            $"left/right class means differ by {observed:F3}, above the 95th percentile {percentile95:F3} of random splits");
    }

    [Fact]
    public void Left_and_right_are_told_apart_by_frame_order()
    {
        // Brightness constancy: I(t+1) − I(t) ≈ −v · ∂I/∂x, so Σ (I(t+1) − I(t)) · ∂I/∂x has the sign of −v.
        static double MotionSign(List<Mat> frames)
        {
            double total = 0;
            for (int t = 0; t + 1 < frames.Count; t++)
            {
                using var now = new Mat();
                using var next = new Mat();
                Cv2.CvtColor(frames[t], now, ColorConversionCodes.BGR2GRAY);
                Cv2.CvtColor(frames[t + 1], next, ColorConversionCodes.BGR2GRAY);
                now.ConvertTo(now, MatType.CV_32F);
                next.ConvertTo(next, MatType.CV_32F);
                using var gradient = new Mat();
                Cv2.Sobel(now, gradient, MatType.CV_32F, 1, 0);
                using var change = new Mat();
                Cv2.Subtract(next, now, change);
                total += change.Dot(gradient);
            }
            foreach (var frame in frames)
                frame.Dispose();
            return Math.Sign(total);
        }

        var left = Videos(MotionKind.MoveLeft).Select(MotionSign).ToList();
        var right = Videos(MotionKind.MoveRight).Select(MotionSign).ToList();
        Assert.True(left.Count(sign => sign > 0) > 0.9 * VideosPerClass, $"left: {left.Count(s => s > 0)} positive");
        Assert.True(right.Count(sign => sign < 0) > 0.9 * VideosPerClass, $"right: {right.Count(s => s < 0)} negative");
    }
}
