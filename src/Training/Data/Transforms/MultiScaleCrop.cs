using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("MultiScaleCrop")]
public sealed class MultiScaleCropConfig : TransformConfig
{
    /// <summary>(w, h) of the network input, or one int for a square.</summary>
    public required List<int> InputSize { get; init; }

    public List<double> Scales { get; init; } = [1.0];
    public int MaxWhScaleGap { get; init; } = 1;
    public bool RandomCrop { get; init; }
    public int NumFixedCrops { get; init; } = 5;
    /// <summary>Accepted; transforms here always run eagerly.</summary>
    public bool Lazy { get; init; }

    public override IVideoTransform Build() => new MultiScaleCrop(this);
}

/// <summary>
/// MMAction2's <c>MultiScaleCrop</c>: crop width and height are picked among <c>scales</c> × short side (levels at
/// most <c>max_wh_scale_gap</c> apart, snapped to the input size when within 2 px), at a random or one of 5/13 fixed
/// offsets. The same crop applies to every frame of the sample.
/// </summary>
public sealed class MultiScaleCrop : IVideoTransform
{
    private readonly MultiScaleCropConfig config;
    private readonly (int Width, int Height) inputSize;

    public MultiScaleCrop(MultiScaleCropConfig config)
    {
        if (config.NumFixedCrops is not (5 or 13))
            throw new ArgumentException($"MultiScaleCrop.num_fixed_crops must be 5 or 13, got {config.NumFixedCrops}");
        if (config.Scales.Count == 0)
            throw new ArgumentException("MultiScaleCrop.scales must not be empty");
        this.config = config;
        inputSize = FrameOps.Pair(config.InputSize, "MultiScaleCrop.input_size");
    }

    public Rect ChooseCrop(int width, int height, Random random)
    {
        int baseSize = Math.Min(width, height);
        var cropSizes = config.Scales.Select(scale => (int)(baseSize * scale)).ToArray();
        var candidates = new List<(int Width, int Height)>();
        for (int i = 0; i < cropSizes.Length; i++)
            for (int j = 0; j < cropSizes.Length; j++)
                if (Math.Abs(i - j) <= config.MaxWhScaleGap)
                    candidates.Add((cropSizes[j], cropSizes[i]));

        var (cropWidth, cropHeight) = candidates[random.Next(candidates.Count)];
        if (Math.Abs(cropWidth - inputSize.Width) < 3)
            cropWidth = inputSize.Width;
        if (Math.Abs(cropHeight - inputSize.Height) < 3)
            cropHeight = inputSize.Height;

        int x, y;
        if (config.RandomCrop)
        {
            x = random.Next(width - cropWidth + 1);
            y = random.Next(height - cropHeight + 1);
        }
        else
        {
            var offsets = FixedOffsets((width - cropWidth) / 4, (height - cropHeight) / 4, config.NumFixedCrops);
            (x, y) = offsets[random.Next(offsets.Count)];
        }
        return new Rect(x, y, cropWidth, cropHeight);
    }

    /// <summary>Offsets in MMAction2's order: upper left, upper right, lower left, lower right, centre, then the 8
    /// extra regions of the 13-crop variant.</summary>
    public static IReadOnlyList<(int X, int Y)> FixedOffsets(int wStep, int hStep, int count)
    {
        var offsets = new List<(int, int)>
        {
            (0, 0), (4 * wStep, 0), (0, 4 * hStep), (4 * wStep, 4 * hStep), (2 * wStep, 2 * hStep),
        };
        if (count == 13)
            offsets.AddRange(
            [
                (0, 2 * hStep), (4 * wStep, 2 * hStep), (2 * wStep, 4 * hStep), (2 * wStep, 0),
                (wStep, hStep), (3 * wStep, hStep), (wStep, 3 * hStep), (3 * wStep, 3 * hStep),
            ]);
        return offsets;
    }

    public void Apply(VideoSample sample)
    {
        var (height, width) = sample.ImgShape;
        FrameOps.CropAll(sample, ChooseCrop(width, height, sample.Random), "MultiScaleCrop");
    }
}
