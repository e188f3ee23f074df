using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("Resize")]
public sealed class ResizeConfig : TransformConfig
{
    /// <summary>One value: a scale factor. Two values with <c>keep_ratio</c>: the largest size fitting in
    /// (long, short) edges, where -1 means "any" (so (-1, 256) sets the short side to 256); without keep_ratio: (w, h).</summary>
    public required List<double> Scale { get; init; }

    public bool KeepRatio { get; init; } = true;
    public string Interpolation { get; init; } = "bilinear";

    /// <summary>Accepted; transforms here always run eagerly.</summary>
    public bool Lazy { get; init; }

    public override IVideoTransform Build() => new Resize(this);
}

/// <summary>MMAction2's <c>Resize</c> with mmcv's <c>rescale_size</c> rounding.</summary>
public sealed class Resize : IVideoTransform
{
    private readonly ResizeConfig config;
    private readonly InterpolationFlags interpolation;

    public Resize(ResizeConfig config)
    {
        if (config.Scale is null)
            throw new ArgumentException("Resize.scale is required");
        if (config.Scale.Count is not (1 or 2))
            throw new ArgumentException($"Resize.scale: expected a float or a pair, got {config.Scale.Count} values");
        if (config.Scale.Count == 1 && config.Scale[0] <= 0)
            throw new ArgumentException($"Resize.scale: invalid scale {config.Scale[0]}, must be positive");
        if (config.Scale.Count == 1 && !config.KeepRatio)
            throw new ArgumentException("Resize.scale: keep_ratio false needs a (w, h) pair");
        this.config = config;
        interpolation = FrameOps.Interpolation(config.Interpolation);
    }

    public (int Width, int Height) TargetSize(int width, int height)
    {
        if (!config.KeepRatio)
            return ((int)config.Scale[0], (int)config.Scale[1]);
        double factor;
        if (config.Scale.Count == 1)
        {
            factor = config.Scale[0];
        }
        else
        {
            double longEdge = Math.Max(config.Scale[0], config.Scale[1]);
            double shortEdge = Math.Min(config.Scale[0], config.Scale[1]);
            if (shortEdge == -1)
                (longEdge, shortEdge) = (double.PositiveInfinity, longEdge);
            factor = Math.Min(longEdge / Math.Max(width, height), shortEdge / Math.Min(width, height));
        }
        return ((int)(width * factor + 0.5), (int)(height * factor + 0.5));
    }

    public void Apply(VideoSample sample)
    {
        var (height, width) = sample.ImgShape;
        var (newWidth, newHeight) = TargetSize(width, height);
        if (newWidth == width && newHeight == height)
            return;
        sample.ReplaceImgs(sample.Imgs.Select(frame =>
        {
            var resized = new Mat();
            Cv2.Resize(frame, resized, new Size(newWidth, newHeight), 0, 0, interpolation);
            return resized;
        }).ToList());
    }
}
