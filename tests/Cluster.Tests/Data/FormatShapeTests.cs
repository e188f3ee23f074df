using Cluster.Training.Data.Transforms;
using TorchSharp;

namespace Cluster.Tests.Data;

public class FormatShapeTests
{
    [Fact]
    public void Nchw_puts_channels_before_rows()
    {
        using var sample = TestFrames.Sample(width: 5, height: 4, frameCount: 6);
        new FormatShapeConfig { InputFormat = "NCHW" }.Build().Apply(sample);
        using var inputs = sample.TakeInputs();
        Assert.Equal([6, 3, 4, 5], inputs.shape);
        Assert.Equal(torch.ScalarType.Byte, inputs.dtype);
        Assert.Equal(4, inputs[0, 0, 2, 4].item<byte>()); // R = x
        Assert.Equal(2, inputs[0, 1, 2, 4].item<byte>()); // G = y
        Assert.Equal(5, inputs[5, 2, 0, 0].item<byte>()); // B = frame tag
    }

    [Fact]
    public void Ncthw_groups_frames_into_clips()
    {
        using var sample = TestFrames.Sample(width: 5, height: 4, frameCount: 6);
        sample.NumClips = 3;
        sample.ClipLen = 2;
        new FormatShapeConfig { InputFormat = "NCTHW" }.Build().Apply(sample);
        using var inputs = sample.TakeInputs();
        Assert.Equal([3, 3, 2, 4, 5], inputs.shape);
        for (int clip = 0; clip < 3; clip++)
            for (int t = 0; t < 2; t++)
                Assert.Equal(clip * 2 + t, inputs[clip, 2, t, 0, 0].item<byte>());
        Assert.Equal(3, inputs[1, 0, 1, 1, 3].item<byte>());
    }

    [Fact]
    public void Ncthw_after_ten_crop_has_crops_times_clips_views()
    {
        using var sample = TestFrames.Sample(width: 12, height: 10, frameCount: 4);
        sample.NumClips = 2;
        sample.ClipLen = 2;
        new TenCropConfig { CropSize = [4] }.Build().Apply(sample);
        new FormatShapeConfig { InputFormat = "NCTHW" }.Build().Apply(sample);
        using var inputs = sample.TakeInputs();
        Assert.Equal([20, 3, 2, 4, 4], inputs.shape);
        // View 2 = crop 0 mirrored, clip 0; its first column came from x = 3.
        Assert.Equal(3, inputs[2, 0, 0, 0, 0].item<byte>());
    }

    [Fact]
    public void Rejects_unknown_format()
    {
        var error = Assert.Throws<ArgumentException>(() => new FormatShapeConfig { InputFormat = "NHWC" }.Build());
        Assert.Contains("input_format", error.Message);
    }
}
