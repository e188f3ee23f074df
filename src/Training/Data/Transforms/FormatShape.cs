using Cluster.Training.Configs;
using Cluster.Training.Data.Decoding;
using TorchSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("FormatShape")]
public sealed class FormatShapeConfig : TransformConfig
{
    public required string InputFormat { get; init; }

    /// <summary>MMAction2 collapses the view axis (N = 1) for detectors. Accepted when the sample has one view; the
    /// axis is kept either way (batches are [N, V, ...] with V = 1, as <see cref="Batch"/> documents).</summary>
    public bool Collapse { get; init; }

    public override IVideoTransform Build() => new FormatShape(this);
}

/// <summary>
/// MMAction2's <c>FormatShape</c>: frames [M, H, W, C] (M = crops × clips × clip_len, crop-major) become
/// NCHW [M, C, H, W] or NCTHW [crops × clips, C, T, H, W].
/// </summary>
public sealed class FormatShape : IVideoTransform
{
    private readonly bool isThreeD;
    private readonly bool collapse;

    public FormatShape(FormatShapeConfig config)
    {
        isThreeD = config.InputFormat switch
        {
            "NCHW" => false,
            "NCTHW" => true,
            _ => throw new ArgumentException($"FormatShape.input_format '{config.InputFormat}' is not one of NCHW, NCTHW"),
        };
        collapse = config.Collapse;
    }

    public void Apply(VideoSample sample)
    {
        using var scope = torch.NewDisposeScope();
        var frames = FrameConversion.Stack(sample.Imgs);
        long height = frames.shape[1], width = frames.shape[2], channels = frames.shape[3];
        torch.Tensor formatted;
        if (isThreeD)
        {
            int clipLen = sample.ClipLen, numClips = sample.NumClips;
            if (frames.shape[0] % (clipLen * numClips) != 0)
                throw new InvalidOperationException(
                    $"FormatShape: {frames.shape[0]} frames do not split into clips of {numClips}×{clipLen}");
            formatted = frames.reshape(-1, numClips, clipLen, height, width, channels)
                .permute(0, 1, 5, 2, 3, 4)
                .reshape(-1, channels, clipLen, height, width);
        }
        else
        {
            formatted = frames.permute(0, 3, 1, 2).contiguous();
        }
        if (collapse && formatted.shape[0] != 1)
            throw new InvalidOperationException(
                $"FormatShape: collapse needs one view (one clip, one crop), the sample has {formatted.shape[0]}");
        sample.Inputs?.Dispose();
        sample.Inputs = formatted.DetachFromDisposeScope();
        sample.ReplaceImgs([]);
    }
}
