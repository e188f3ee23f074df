using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Data.Transforms;

namespace Cluster.Tests.Data.Ava;

public class RoiTransformTests
{
    private static readonly AvaKey Key = new("vid", 902);

    private static VideoSample WithRoi(int width, int height, NormalizedBox box, int frames = 1)
    {
        var sample = TestFrames.Sample(width, height, frames);
        sample.Rois = new SampleRois(Key, [new AvaRoi(box, [1])], numClasses: 2);
        return sample;
    }

    [Fact]
    public void Center_crop_moves_boxes_into_the_crop_and_clips_them()
    {
        using var sample = WithRoi(100, 50, new NormalizedBox(0.2f, 0.2f, 0.6f, 0.8f));

        new CenterCropConfig { CropSize = [50] }.Build().Apply(sample);

        // Crop x 25..75 of 100: box x 20..60 → −5..35 → clipped 0..35 of 50; y unchanged (crop is the full height).
        var box = sample.Rois!.Boxes[0];
        Assert.Equal((0f, 0.2f, 0.7f, 0.8f), (box.X1, MathF.Round(box.Y1, 5), MathF.Round(box.X2, 5), MathF.Round(box.Y2, 5)));
        Assert.Equal(new NormalizedBox(0.2f, 0.2f, 0.6f, 0.8f), sample.Rois.Source[0]);
    }

    [Fact]
    public void Crop_clips_corners_to_the_last_pixel_as_mmaction2()
    {
        using var sample = WithRoi(100, 50, new NormalizedBox(0.5f, 0f, 1f, 1f));

        new CenterCropConfig { CropSize = [50] }.Build().Apply(sample);

        // x 50..100 → 25..75 → clipped to 25..49 of 50; y 0..50 → 0..49.
        var box = sample.Rois!.Boxes[0];
        Assert.Equal((0.5f, 0f, 0.98f, 0.98f), (box.X1, box.Y1, MathF.Round(box.X2, 5), MathF.Round(box.Y2, 5)));
    }

    [Fact]
    public void Resize_keeps_normalised_boxes_so_packing_scales_them_to_the_new_size()
    {
        using var sample = WithRoi(40, 20, new NormalizedBox(0.25f, 0.5f, 0.75f, 1f));
        new ResizeConfig { Scale = [2.0] }.Build().Apply(sample);

        var packed = sample.Rois!.Pack(width: 80, height: 40);

        Assert.Equal([20f, 20f, 60f, 40f], packed.Boxes);
        Assert.Equal([0f, 1f], packed.Labels);
        Assert.Equal(new RoiInfo(Key, new NormalizedBox(0.25f, 0.5f, 0.75f, 1f), 0), packed.Info[0]);
    }

    [Fact]
    public void Vertical_flip_mirrors_y()
    {
        using var sample = WithRoi(40, 20, new NormalizedBox(0.25f, 0.1f, 0.75f, 0.4f));
        new FlipConfig { FlipRatio = 1, Direction = "vertical" }.Build().Apply(sample);
        var box = sample.Rois!.Boxes[0];
        Assert.Equal((0.25f, 0.6f, 0.75f, 0.9f), (box.X1, MathF.Round(box.Y1, 5), box.X2, MathF.Round(box.Y2, 5)));
    }

    [Fact]
    public void Multi_view_crops_and_collapse_of_several_views_are_refused()
    {
        using var sample = WithRoi(60, 20, new NormalizedBox(0.1f, 0.1f, 0.5f, 0.5f));
        var error = Assert.Throws<InvalidOperationException>(() => new ThreeCropConfig { CropSize = [20] }.Build().Apply(sample));
        Assert.Contains("ThreeCrop", error.Message);

        using var twoClips = TestFrames.Sample(8, 8, frameCount: 4);
        twoClips.ClipLen = 2;
        twoClips.NumClips = 2;
        Assert.Contains("collapse", Assert.Throws<InvalidOperationException>(() =>
            new FormatShapeConfig { InputFormat = "NCTHW", Collapse = true }.Build().Apply(twoClips)).Message);
    }
}
