using Cluster.Training.Data.Transforms;
using OpenCvSharp;

namespace Cluster.Tests.Data;

public class ResizeFlipNormalizeTests
{
    [Theory]
    // Short side to 16: factor 16/20 → w = int(33 * 0.8 + 0.5) = 26.
    [InlineData(new double[] { -1, 16 }, true, 33, 20, 26, 16)]
    // A float scales both sides: 40x30 × 0.5.
    [InlineData(new double[] { 0.5 }, true, 40, 30, 20, 15)]
    // Fit inside (long 32, short 16): factor min(32/40, 16/30) = 0.5333 → w = int(21.33 + 0.5) = 21, h = 16.
    [InlineData(new double[] { 32, 16 }, true, 40, 30, 21, 16)]
    // Without keep_ratio the pair is (w, h).
    [InlineData(new double[] { 12, 7 }, false, 40, 30, 12, 7)]
    public void Resize_follows_mmcv_rescale_size(double[] scale, bool keepRatio, int width, int height, int newWidth, int newHeight)
    {
        using var sample = new VideoSample(0, new Random(0));
        sample.ReplaceImgs([new Mat(height, width, MatType.CV_8UC3, new Scalar(7, 8, 9))]);
        new ResizeConfig { Scale = [.. scale], KeepRatio = keepRatio }.Build().Apply(sample);
        Assert.Equal((newHeight, newWidth), sample.ImgShape);
        Assert.Equal((7, 8, 9), TestFrames.Pixel(sample.Imgs[0], newWidth - 1, newHeight - 1));
    }

    [Fact]
    public void Flip_always_mirrors_horizontally_at_ratio_one()
    {
        using var sample = TestFrames.Sample(width: 6, height: 4, frameCount: 2);
        new FlipConfig { FlipRatio = 1 }.Build().Apply(sample);
        Assert.True(sample.Flip);
        Assert.Equal((5, 0, 1), TestFrames.Pixel(sample.Imgs[1], 0, 0));
        Assert.Equal((0, 3, 0), TestFrames.Pixel(sample.Imgs[0], 5, 3));
    }

    [Fact]
    public void Flip_vertical_and_never()
    {
        using var sample = TestFrames.Sample(width: 6, height: 4);
        new FlipConfig { FlipRatio = 1, Direction = "vertical" }.Build().Apply(sample);
        Assert.Equal((0, 3, 0), TestFrames.Pixel(sample.Imgs[0], 0, 0));
        new FlipConfig { FlipRatio = 0 }.Build().Apply(sample);
        Assert.False(sample.Flip);
        Assert.Equal((0, 3, 0), TestFrames.Pixel(sample.Imgs[0], 0, 0));
    }

    [Fact]
    public void Flip_ratio_half_flips_about_half_the_samples()
    {
        var flip = new FlipConfig().Build();
        int flipped = 0;
        for (int seed = 0; seed < 400; seed++)
        {
            using var sample = TestFrames.Sample(width: 2, height: 2, seed: seed);
            flip.Apply(sample);
            flipped += sample.Flip ? 1 : 0;
        }
        Assert.InRange(flipped, 160, 240);
    }

    [Fact]
    public void Flip_label_map_swaps_labels_of_flipped_samples()
    {
        using var sample = TestFrames.Sample(width: 2, height: 2);
        sample.Labels = [0];
        new FlipConfig { FlipRatio = 1, FlipLabelMap = new() { ["0"] = 1L, ["1"] = 0L } }.Build().Apply(sample);
        Assert.Equal([1], sample.Labels);
    }

    [Fact]
    public void Normalize_subtracts_mean_and_divides_by_std_per_channel()
    {
        using var sample = new VideoSample(0, new Random(0));
        sample.ReplaceImgs([new Mat(2, 2, MatType.CV_8UC3, new Scalar(12, 28, 40))]);
        new NormalizeConfig { Mean = [10, 20, 30], Std = [2, 4, 5] }.Build().Apply(sample);
        var pixel = sample.Imgs[0].At<Vec3f>(1, 1);
        Assert.Equal((1f, 2f, 2f), (pixel.Item0, pixel.Item1, pixel.Item2));
    }

    [Fact]
    public void Normalize_to_bgr_swaps_channels_before_normalising()
    {
        using var sample = new VideoSample(0, new Random(0));
        sample.ReplaceImgs([new Mat(2, 2, MatType.CV_8UC3, new Scalar(12, 28, 40))]);
        new NormalizeConfig { Mean = [10, 20, 30], Std = [2, 4, 5], ToBgr = true }.Build().Apply(sample);
        var pixel = sample.Imgs[0].At<Vec3f>(0, 0);
        // BGR (40, 28, 12): (40-10)/2, (28-20)/4, (12-30)/5.
        Assert.Equal(15f, pixel.Item0, 5);
        Assert.Equal(2f, pixel.Item1, 5);
        Assert.Equal(-3.6f, pixel.Item2, 5);
    }
}
