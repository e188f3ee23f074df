using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("ThreeCrop")]
public sealed class ThreeCropConfig : TransformConfig
{
    public required List<int> CropSize { get; init; }

    public override IVideoTransform Build() => new ThreeCrop(FrameOps.Pair(CropSize, "ThreeCrop.crop_size"));
}

/// <summary>
/// MMAction2's <c>ThreeCrop</c>: three crops along the long side (one side must equal the crop), in the order
/// left/top, right/bottom, middle; the frames become crop-major (all frames of crop 0, then crop 1, ...).
/// </summary>
public sealed class ThreeCrop((int Width, int Height) cropSize) : IVideoTransform
{
    public static IReadOnlyList<(int X, int Y)> Offsets(int width, int height, int cropWidth, int cropHeight)
    {
        if (cropHeight == height)
        {
            int wStep = (width - cropWidth) / 2;
            return [(0, 0), (2 * wStep, 0), (wStep, 0)];
        }
        if (cropWidth == width)
        {
            int hStep = (height - cropHeight) / 2;
            return [(0, 0), (0, 2 * hStep), (0, hStep)];
        }
        throw new InvalidOperationException(
            $"ThreeCrop: crop {cropWidth}x{cropHeight} must match the width or height of frames of {width}x{height}");
    }

    public void Apply(VideoSample sample)
    {
        FrameOps.RejectRois(sample, "ThreeCrop");
        var (height, width) = sample.ImgShape;
        var crops = Offsets(width, height, cropSize.Width, cropSize.Height)
            .SelectMany(offset => sample.Imgs.Select(frame =>
                FrameOps.Crop(frame, new Rect(offset.X, offset.Y, cropSize.Width, cropSize.Height))))
            .ToList();
        sample.ReplaceImgs(crops);
    }
}
