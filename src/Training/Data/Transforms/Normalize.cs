using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

/// <summary>
/// MMAction2 0.x's in-pipeline <c>Normalize</c>. In 1.x the <c>data_preprocessor</c> normalises instead; use one
/// or the other, not both.
/// </summary>
[ConfigType("Normalize")]
public sealed class NormalizeConfig : TransformConfig
{
    public required List<double> Mean { get; init; }
    public required List<double> Std { get; init; }
    public bool ToBgr { get; init; }
    public bool AdjustMagnitude { get; init; }

    public override IVideoTransform Build() => new Normalize(this);
}

/// <summary>Frames to float32, channels swapped first when <c>to_bgr</c>, then (x − mean) / std per channel.</summary>
public sealed class Normalize : IVideoTransform
{
    private readonly Scalar mean;
    private readonly Scalar inverseStd;
    private readonly bool toBgr;

    public Normalize(NormalizeConfig config)
    {
        if (config.Mean?.Count != 3 || config.Std?.Count != 3)
            throw new ArgumentException("Normalize: mean and std need 3 values (RGB)");
        if (config.Std.Any(value => value == 0))
            throw new ArgumentException("Normalize.std must not contain 0");
        if (config.AdjustMagnitude)
            throw new ArgumentException("Normalize.adjust_magnitude applies to optical flow, which is not supported");
        mean = new Scalar(config.Mean[0], config.Mean[1], config.Mean[2]);
        inverseStd = new Scalar(1 / config.Std[0], 1 / config.Std[1], 1 / config.Std[2]);
        toBgr = config.ToBgr;
    }

    public void Apply(VideoSample sample) =>
        sample.ReplaceImgs(sample.Imgs.Select(NormalizeFrame).ToList());

    private Mat NormalizeFrame(Mat frame)
    {
        var result = new Mat();
        frame.ConvertTo(result, MatType.CV_32FC3);
        if (toBgr)
            Cv2.CvtColor(result, result, ColorConversionCodes.RGB2BGR);
        Cv2.Subtract(result, mean, result);
        Cv2.Multiply(result, inverseStd, result);
        return result;
    }
}
