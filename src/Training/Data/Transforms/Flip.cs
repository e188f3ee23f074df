using Cluster.Training.Configs;
using OpenCvSharp;

namespace Cluster.Training.Data.Transforms;

[ConfigType("Flip")]
public sealed class FlipConfig : TransformConfig
{
    public double FlipRatio { get; init; } = 0.5;
    public string Direction { get; init; } = "horizontal";

    /// <summary>Label replacement when flipped (e.g. "swipe left" ↔ "swipe right"): keys and values are class indices.</summary>
    public Dictionary<string, object?>? FlipLabelMap { get; init; }

    /// <summary>Accepted; transforms here always run eagerly.</summary>
    public bool Lazy { get; init; }

    public override IVideoTransform Build() => new Flip(this);
}

/// <summary>MMAction2's <c>Flip</c>: with probability <c>flip_ratio</c> mirrors every frame of the sample.</summary>
public sealed class Flip : IVideoTransform
{
    private readonly double flipRatio;
    private readonly FlipMode mode;
    private readonly Dictionary<int, int> labelMap;

    public Flip(FlipConfig config)
    {
        flipRatio = config.FlipRatio;
        mode = config.Direction switch
        {
            "horizontal" => FlipMode.Y,
            "vertical" => FlipMode.X,
            _ => throw new ArgumentException($"Flip.direction '{config.Direction}' is not one of horizontal, vertical"),
        };
        labelMap = (config.FlipLabelMap ?? []).ToDictionary(
            entry => int.TryParse(entry.Key, out int from) ? from
                : throw new ArgumentException($"Flip.flip_label_map: key '{entry.Key}' is not a class index"),
            entry => Convert.ToInt32(entry.Value ?? throw new ArgumentException($"Flip.flip_label_map.{entry.Key} is null")));
    }

    public void Apply(VideoSample sample)
    {
        sample.Flip = sample.Random.NextDouble() < flipRatio;
        if (!sample.Flip)
            return;
        if (sample.Labels.Length == 1 && labelMap.TryGetValue(sample.Labels[0], out int mapped))
            sample.Labels = [mapped];
        sample.ReplaceImgs(sample.Imgs.Select(frame => FrameOps.Flip(frame, mode)).ToList());
        // Normalised boxes mirror as x → 1 − x (MMAction2's _box_flip: x1' = w − x2, x2' = w − x1 in pixels).
        sample.Rois?.Map(mode == FlipMode.Y
            ? box => box with { X1 = 1 - box.X2, X2 = 1 - box.X1 }
            : box => box with { Y1 = 1 - box.Y2, Y2 = 1 - box.Y1 });
    }
}
