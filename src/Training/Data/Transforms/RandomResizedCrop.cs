using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("RandomResizedCrop")]
public sealed class RandomResizedCropConfig : TransformConfig
{
    public List<double> AreaRange { get; init; } = [0.08, 1.0];
    public List<double> AspectRatioRange { get; init; } = [3.0 / 4.0, 4.0 / 3.0];
    /// <summary>Accepted; transforms here always run eagerly.</summary>
    public bool Lazy { get; init; }

    public override IVideoTransform Build() => new RandomResizedCrop(this);
}

/// <summary>
/// MMAction2's <c>RandomResizedCrop</c> (crop only; a following <c>Resize</c> sets the size): 10 attempts at an
/// area fraction and log-uniform aspect ratio, else the centred square of the short side.
/// </summary>
public sealed class RandomResizedCrop : IVideoTransform
{
    private const int MaxAttempts = 10;
    private readonly double minArea, maxArea, minRatio, maxRatio;

    public RandomResizedCrop(RandomResizedCropConfig config)
    {
        if (config.AreaRange.Count != 2 || config.AspectRatioRange.Count != 2)
            throw new ArgumentException("RandomResizedCrop: area_range and aspect_ratio_range must be pairs");
        (minArea, maxArea) = (config.AreaRange[0], config.AreaRange[1]);
        (minRatio, maxRatio) = (config.AspectRatioRange[0], config.AspectRatioRange[1]);
        if (!(0 < minArea && minArea <= maxArea && maxArea <= 1))
            throw new ArgumentException("RandomResizedCrop.area_range must satisfy 0 < min <= max <= 1");
        if (!(0 < minRatio && minRatio <= maxRatio))
            throw new ArgumentException("RandomResizedCrop.aspect_ratio_range must satisfy 0 < min <= max");
    }

    public Rect ChooseCrop(int width, int height, Random random)
    {
        double area = (double)width * height;
        var aspectRatios = Enumerable.Range(0, MaxAttempts)
            .Select(_ => Math.Exp(Uniform(random, Math.Log(minRatio), Math.Log(maxRatio)))).ToArray();
        var targetAreas = Enumerable.Range(0, MaxAttempts)
            .Select(_ => Uniform(random, minArea, maxArea) * area).ToArray();
        for (int i = 0; i < MaxAttempts; i++)
        {
            int cropWidth = (int)Math.Round(Math.Sqrt(targetAreas[i] * aspectRatios[i]), MidpointRounding.ToEven);
            int cropHeight = (int)Math.Round(Math.Sqrt(targetAreas[i] / aspectRatios[i]), MidpointRounding.ToEven);
            if (cropWidth <= width && cropHeight <= height && cropWidth > 0 && cropHeight > 0)
                return new Rect(random.Next(width - cropWidth + 1), random.Next(height - cropHeight + 1), cropWidth, cropHeight);
        }
        int side = Math.Min(width, height);
        return new Rect((width - side) / 2, (height - side) / 2, side, side);
    }

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    public void Apply(VideoSample sample)
    {
        var (height, width) = sample.ImgShape;
        FrameOps.CropAll(sample, ChooseCrop(width, height, sample.Random), "RandomResizedCrop");
    }
}
