using Cluster.Training.Data.Transforms;
using OpenCvSharp;

namespace Cluster.Tests.Data;

public class CropTransformTests
{
    [Fact]
    public void CenterCrop_takes_the_floor_centred_region()
    {
        using var sample = TestFrames.Sample(width: 10, height: 8);
        new CenterCropConfig { CropSize = [4] }.Build().Apply(sample);
        Assert.Equal((4, 4), sample.ImgShape);
        // left = (10 - 4) // 2 = 3, top = (8 - 4) // 2 = 2.
        Assert.Equal((3, 2, 0), TestFrames.Pixel(sample.Imgs[0], 0, 0));
        Assert.Equal((6, 5, 0), TestFrames.Pixel(sample.Imgs[0], 3, 3));
    }

    [Fact]
    public void CenterCrop_larger_than_frame_names_the_transform()
    {
        using var sample = TestFrames.Sample(width: 10, height: 8);
        var error = Assert.Throws<InvalidOperationException>(() => new CenterCropConfig { CropSize = [12, 4] }.Build().Apply(sample));
        Assert.Contains("CenterCrop", error.Message);
    }

    [Fact]
    public void ThreeCrop_gives_left_right_middle_crop_major()
    {
        using var sample = TestFrames.Sample(width: 10, height: 4, frameCount: 2);
        new ThreeCropConfig { CropSize = [4] }.Build().Apply(sample);
        // w_step = (10 - 4) // 2 = 3: offsets x = 0, 6, 3; each crop holds both frames.
        Assert.Equal(6, sample.Imgs.Count);
        var origins = sample.Imgs.Select(frame => TestFrames.Pixel(frame, 0, 0)).ToArray();
        Assert.Equal([(0, 0, 0), (0, 0, 1), (6, 0, 0), (6, 0, 1), (3, 0, 0), (3, 0, 1)], origins);
    }

    [Fact]
    public void TenCrop_gives_five_regions_each_followed_by_its_mirror()
    {
        using var sample = TestFrames.Sample(width: 12, height: 10);
        new TenCropConfig { CropSize = [4] }.Build().Apply(sample);
        // w_step = (12 - 4) // 4 = 2, h_step = (10 - 4) // 4 = 1:
        // upper left (0,0), upper right (8,0), lower left (0,4), lower right (8,4), centre (4,2).
        (int X, int Y)[] offsets = [(0, 0), (8, 0), (0, 4), (8, 4), (4, 2)];
        Assert.Equal(10, sample.Imgs.Count);
        for (int region = 0; region < 5; region++)
        {
            var (x, y) = offsets[region];
            Assert.Equal((x, y, 0), TestFrames.Pixel(sample.Imgs[2 * region], 0, 0));
            Assert.Equal((x + 3, y, 0), TestFrames.Pixel(sample.Imgs[2 * region + 1], 0, 0));
            Assert.Equal((x, y + 3, 0), TestFrames.Pixel(sample.Imgs[2 * region + 1], 3, 3));
        }
    }

    [Fact]
    public void MultiScaleCrop_snaps_sizes_near_the_input_size_and_uses_the_five_fixed_offsets()
    {
        // 20x12 frame, scales (1, .875): sizes 12 and 10; input 10 → 12 snaps to 10 (|12 - 10| < 3), so every
        // crop is 10x10; w_step = (20-10)//4 = 2, h_step = (12-10)//4 = 0 → x in {0, 8, 4}, y = 0.
        var transform = new MultiScaleCrop(new MultiScaleCropConfig { InputSize = [10], Scales = [1, 0.875] });
        var crops = Enumerable.Range(0, 100).Select(seed => transform.ChooseCrop(20, 12, new Random(seed))).ToHashSet();
        Assert.Equal(
            new HashSet<Rect> { new(0, 0, 10, 10), new(8, 0, 10, 10), new(4, 0, 10, 10) },
            crops);
    }

    [Fact]
    public void MultiScaleCrop_pairs_scale_levels_within_the_gap()
    {
        // 20x12 frame, scales (1, .5): sizes 12 and 6; input 8: 6 snaps to 8, 12 does not.
        // Pairs (w, h) with |i - j| <= 1: (12,12), (8,12), (12,8), (8,8).
        var transform = new MultiScaleCrop(new MultiScaleCropConfig { InputSize = [8], Scales = [1, 0.5] });
        var sizes = Enumerable.Range(0, 200)
            .Select(seed => transform.ChooseCrop(20, 12, new Random(seed)))
            .Select(crop => (crop.Width, crop.Height))
            .ToHashSet();
        Assert.Equal(new HashSet<(int, int)> { (12, 12), (8, 12), (12, 8), (8, 8) }, sizes);
    }

    [Fact]
    public void MultiScaleCrop_thirteen_fixed_offsets_follow_mmaction_order()
    {
        var offsets = MultiScaleCrop.FixedOffsets(wStep: 1, hStep: 2, count: 13);
        (int, int)[] expected =
        [
            (0, 0), (4, 0), (0, 8), (4, 8), (2, 4),
            (0, 4), (4, 4), (2, 8), (2, 0), (1, 2), (3, 2), (1, 6), (3, 6),
        ];
        Assert.Equal(expected, offsets);
    }

    [Fact]
    public void MultiScaleCrop_applies_one_crop_to_all_frames()
    {
        using var sample = TestFrames.Sample(width: 20, height: 12, frameCount: 3, seed: 5);
        new MultiScaleCropConfig { InputSize = [10], Scales = [1, 0.875] }.Build().Apply(sample);
        Assert.Equal((10, 10), sample.ImgShape);
        var origins = sample.Imgs.Select(frame => TestFrames.Pixel(frame, 0, 0)).Select(p => (p.R, p.G)).Distinct();
        Assert.Single(origins);
    }

    [Fact]
    public void RandomResizedCrop_stays_inside_frame_and_ranges()
    {
        var transform = new RandomResizedCrop(new RandomResizedCropConfig { AreaRange = [0.25, 0.5] });
        for (int seed = 0; seed < 100; seed++)
        {
            var crop = transform.ChooseCrop(64, 48, new Random(seed));
            Assert.InRange(crop.X, 0, 64 - crop.Width);
            Assert.InRange(crop.Y, 0, 48 - crop.Height);
            bool isFallback = crop == new Rect(8, 0, 48, 48);
            if (!isFallback)
                Assert.InRange(crop.Width * crop.Height / (64.0 * 48), 0.2, 0.55);
        }
    }

    [Fact]
    public void RandomResizedCrop_falls_back_to_the_centred_short_side_square()
    {
        // Full area at ratio 1 on 10x8 needs 9x9 (round(sqrt 80)), which never fits: centre square 8 at x = 1.
        var transform = new RandomResizedCrop(new RandomResizedCropConfig { AreaRange = [1.0, 1.0], AspectRatioRange = [1.0, 1.0] });
        Assert.Equal(new Rect(1, 0, 8, 8), transform.ChooseCrop(10, 8, new Random(3)));
    }
}
