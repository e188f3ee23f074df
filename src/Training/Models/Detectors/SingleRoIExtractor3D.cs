using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMAction2's SingleRoIExtractor3D over one feature map [N, C, T, H, W]: with_temporal_pool averages (or maxes) T
/// to 1 first; then every time step is RoIAligned → [R, C, T', out_h, out_w]. No parameters. The time steps are
/// folded into channels so one RoIAlign covers them all.
/// </summary>
public sealed class SingleRoIExtractor3D : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly SingleRoIExtractor3DConfig config;
    private readonly int outputHeight;
    private readonly int outputWidth;

    public SingleRoIExtractor3D(SingleRoIExtractor3DConfig config, string keyPath = "roi_head.bbox_roi_extractor")
        : base(nameof(SingleRoIExtractor3D))
    {
        if (config.RoiLayerType != "RoIAlign")
            throw new ArgumentException($"{keyPath}.roi_layer_type: only RoIAlign is supported, got '{config.RoiLayerType}'");
        if (config.PoolMode != "avg")
            throw new ArgumentException($"{keyPath}.pool_mode: only avg is supported, got '{config.PoolMode}'");
        if (config.TemporalPoolMode is not ("avg" or "max"))
            throw new ArgumentException($"{keyPath}.temporal_pool_mode: '{config.TemporalPoolMode}' is not avg or max");
        if (config.WithGlobal)
            throw new ArgumentException($"{keyPath}.with_global: the global context feature is not supported (use false)");
        if (config.FeatmapStride <= 0)
            throw new ArgumentException($"{keyPath}.featmap_stride: must be positive, got {config.FeatmapStride}");
        if (config.SamplingRatio < 0)
            throw new ArgumentException($"{keyPath}.sampling_ratio: must be 0 (adaptive) or positive, got {config.SamplingRatio}");
        (outputHeight, outputWidth) = OutputSize(config.OutputSize, $"{keyPath}.output_size");
        this.config = config;
    }

    /// <param name="features">Backbone features [N, C, T, H, W].</param>
    /// <param name="rois">[R, 5] = (batch row, x1, y1, x2, y2) in input pixels.</param>
    public override Tensor forward(Tensor features, Tensor rois)
    {
        if (features.dim() != 5)
            throw new ArgumentException($"SingleRoIExtractor3D: features must be [N, C, T, H, W], got [{string.Join(", ", features.shape)}]");
        using var scope = NewDisposeScope();
        var x = features;
        if (config.WithTemporalPool)
            x = config.TemporalPoolMode == "avg" ? x.mean([2], keepdim: true) : x.amax([2], keepdim: true);
        long n = x.shape[0], c = x.shape[1], t = x.shape[2];
        var frames = x.reshape(n, c * t, x.shape[3], x.shape[4]);
        var aligned = RoiAlign.Apply(frames, rois.to(features.device), outputHeight, outputWidth,
            1.0 / config.FeatmapStride, config.SamplingRatio, config.Aligned);
        return aligned.view(-1, c, t, outputHeight, outputWidth).MoveToOuterDisposeScope();
    }

    private static (int Height, int Width) OutputSize(object value, string keyPath)
    {
        var sizes = value switch
        {
            long single => [single, single],
            IEnumerable<object?> list => list.Select(item => item as long? ?? -1).ToArray(),
            _ => [],
        };
        if (sizes.Length != 2 || sizes.Any(size => size is <= 0 or > int.MaxValue))
            throw new ArgumentException($"{keyPath}: expected a positive integer or [height, width], got {value}");
        return ((int)sizes[0], (int)sizes[1]);
    }
}
