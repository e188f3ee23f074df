using Cluster.Training.Data.Ava;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

/// <summary>Per-frame OpenCV operations shared by the spatial transforms (whole-frame bulk ops, no pixel loops).</summary>
internal static class FrameOps
{
    public static Mat Crop(Mat frame, Rect region)
    {
        using var view = new Mat(frame, region);
        return view.Clone();
    }

    public static Mat Flip(Mat frame, FlipMode mode)
    {
        var flipped = new Mat();
        Cv2.Flip(frame, flipped, mode);
        return flipped;
    }

    /// <summary>Crops every frame of the sample to <paramref name="region"/>, checking it lies inside the frames.</summary>
    public static void CropAll(VideoSample sample, Rect region, string transformName)
    {
        var (height, width) = sample.ImgShape;
        if (region.X < 0 || region.Y < 0 || region.Right > width || region.Bottom > height || region.Width <= 0 || region.Height <= 0)
            throw new InvalidOperationException(
                $"{transformName}: crop {region.Width}x{region.Height} at ({region.X},{region.Y}) does not fit frames of {width}x{height}");
        sample.ReplaceImgs(sample.Imgs.Select(frame => Crop(frame, region)).ToList());
        sample.Rois?.Map(box => CropBox(box, region, width, height));
    }

    /// <summary>A normalised box of a width × height frame, re-expressed in the crop: MMAction2's _box_crop clips the
    /// pixel corners to [0, crop size − 1].</summary>
    private static NormalizedBox CropBox(NormalizedBox box, Rect region, int width, int height)
    {
        float X(float x) => Math.Clamp(x * width - region.X, 0f, region.Width - 1f) / region.Width;
        float Y(float y) => Math.Clamp(y * height - region.Y, 0f, region.Height - 1f) / region.Height;
        return new NormalizedBox(X(box.X1), Y(box.Y1), X(box.X2), Y(box.Y2));
    }

    /// <summary>Transforms that make several views cannot carry one sample's RoIs.</summary>
    public static void RejectRois(VideoSample sample, string transformName)
    {
        if (sample.Rois is not null)
            throw new InvalidOperationException(
                $"{transformName}: makes several views, which detection samples (AVADataset RoIs) do not support");
    }

    /// <summary>MMCV's <c>_pair</c>: one value means (v, v); two mean (w, h).</summary>
    public static (int Width, int Height) Pair(IReadOnlyList<int>? values, string key) => values?.Count switch
    {
        null => throw new ArgumentException($"{key} is required"),
        1 => (values[0], values[0]),
        2 => (values[0], values[1]),
        _ => throw new ArgumentException($"{key}: expected an int or [w, h], got {values.Count} values"),
    };

    public static InterpolationFlags Interpolation(string name) => name switch
    {
        "nearest" => InterpolationFlags.Nearest,
        "bilinear" => InterpolationFlags.Linear,
        "bicubic" => InterpolationFlags.Cubic,
        "area" => InterpolationFlags.Area,
        "lanczos" => InterpolationFlags.Lanczos4,
        _ => throw new ArgumentException($"interpolation '{name}' is not one of nearest, bilinear, bicubic, area, lanczos"),
    };
}
