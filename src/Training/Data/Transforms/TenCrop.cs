using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("TenCrop")]
public sealed class TenCropConfig : TransformConfig
{
    public required List<int> CropSize { get; init; }

    public override IVideoTransform Build() => new TenCrop(FrameOps.Pair(CropSize, "TenCrop.crop_size"));
}

/// <summary>
/// MMAction2's <c>TenCrop</c>: for each of the 5 fixed regions (upper left, upper right, lower left, lower right,
/// centre) all frames cropped, then the same crops mirrored horizontally.
/// </summary>
public sealed class TenCrop((int Width, int Height) cropSize) : IVideoTransform
{
    public void Apply(VideoSample sample)
    {
        FrameOps.RejectRois(sample, "TenCrop");
        var (height, width) = sample.ImgShape;
        if (cropSize.Width > width || cropSize.Height > height)
            throw new InvalidOperationException($"TenCrop: crop {cropSize.Width}x{cropSize.Height} exceeds frames of {width}x{height}");
        var offsets = MultiScaleCrop.FixedOffsets((width - cropSize.Width) / 4, (height - cropSize.Height) / 4, 5);
        var views = new List<Mat>(offsets.Count * 2 * sample.Imgs.Count);
        foreach (var (x, y) in offsets)
        {
            var crops = sample.Imgs.Select(frame => FrameOps.Crop(frame, new Rect(x, y, cropSize.Width, cropSize.Height))).ToList();
            views.AddRange(crops);
            views.AddRange(crops.Select(crop => FrameOps.Flip(crop, FlipMode.Y)));
        }
        sample.ReplaceImgs(views);
    }
}
