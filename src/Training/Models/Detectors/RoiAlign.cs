using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMCV's RoIAlign (the same as <c>torchvision.ops.roi_align</c>) on tensors. Each output bin averages a grid of
/// bilinear samples; the grid is <c>sampling_ratio</c>² points, or with 0 (adaptive) ceil(roi size / output size)
/// per axis and RoI. With <c>aligned</c> the box corners are shifted by −0.5 pixel (pixel centres); without it RoIs are
/// at least 1×1.
/// <para>Bilinear sampling and the bin average are separable in y and x (a sample outside [−1, size] weighs 0 in
/// either axis), so the whole operation is out[r] = A_y[r] · F[batch(r)] · A_xᵀ[r], with per-RoI interpolation
/// matrices A_y [out_h, H] and A_x [out_w, W]: two batched matmuls, differentiable in the features (not in the boxes,
/// as in MMCV), with no per-RoI or per-pixel loops.</para>
/// </summary>
public static class RoiAlign
{
    /// <param name="features">[N, C, H, W].</param>
    /// <param name="rois">[R, 5] = (batch row, x1, y1, x2, y2) in input pixels.</param>
    /// <param name="spatialScale">Feature pixels per input pixel (1 / the backbone's stride).</param>
    /// <param name="samplingRatio">Samples per bin and axis; 0 = adaptive.</param>
    /// <returns>[R, C, outputHeight, outputWidth].</returns>
    public static Tensor Apply(Tensor features, Tensor rois, int outputHeight, int outputWidth, double spatialScale,
        int samplingRatio, bool aligned)
    {
        if (features.dim() != 4)
            throw new ArgumentException($"RoIAlign: features must be [N, C, H, W], got [{string.Join(", ", features.shape)}]");
        if (rois.dim() != 2 || rois.shape[1] != 5)
            throw new ArgumentException($"RoIAlign: rois must be [R, 5], got [{string.Join(", ", rois.shape)}]");
        if (outputHeight <= 0 || outputWidth <= 0 || samplingRatio < 0)
            throw new ArgumentException($"RoIAlign: output size {outputHeight}×{outputWidth} and sampling ratio {samplingRatio} must be positive (0 = adaptive ratio)");
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        long height = features.shape[2], width = features.shape[3];
        var boxes = rois.detach().to(float64);
        var (scale, offset) = (held.Of(spatialScale), held.Of(aligned ? 0.5 : 0.0));
        var start = boxes[.., 1..3] * scale - offset;
        var size = boxes[.., 3..5] * scale - offset - start;
        if (!aligned) size = size.clamp_min(held.Of(1.0));
        var rows = boxes[.., 0].to(int64);
        var ay = Interpolation(start[.., 1], size[.., 1], outputHeight, height, samplingRatio);
        var ax = Interpolation(start[.., 0], size[.., 0], outputWidth, width, samplingRatio);
        var perRoi = features.index_select(0, rows);
        var result = ay.to(features.dtype).unsqueeze(1).matmul(perRoi).matmul(ax.to(features.dtype).transpose(1, 2).unsqueeze(1));
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>
    /// [R, bins, length]: the weight of feature row (or column) i in bin b of RoI r — the bilinear weights of the bin's
    /// samples along this axis, divided by their count.
    /// </summary>
    private static Tensor Interpolation(Tensor start, Tensor size, int bins, long length, int samplingRatio)
    {
        using var held = new HeldScalars();
        var (one, zero, binCount) = (held.Of(1), held.Of(0), held.Of(bins));
        long rois = start.shape[0];
        var binSize = size / binCount;
        // Samples per bin: fixed, or ceil(size / bins) per RoI (≤ 0 for an empty box: no samples, output 0).
        var grid = samplingRatio > 0
            ? full(rois, held.Of((double)samplingRatio), dtype: float64, device: start.device)
            : size.div(binCount).ceil().clamp_min(zero);
        long maxGrid = rois == 0 ? 1 : Math.Max(1, (long)grid.max().item<double>());
        // The three-Scalar arange: TorchSharp's shorter ones make their start and step as temporaries.
        var sample = arange(zero, held.Of(maxGrid), one, dtype: float64, device: start.device);
        var bin = arange(zero, binCount, one, dtype: float64, device: start.device);
        // Position of sample s of bin b: start + b·binSize + (s + 0.5)·binSize / grid → [R, bins, maxGrid].
        var position = start.view(-1, 1, 1) + bin.view(1, -1, 1) * binSize.view(-1, 1, 1)
                       + (sample.view(1, 1, -1) + held.Of(0.5)) * (binSize / grid.clamp_min(one)).view(-1, 1, 1);
        var used = sample.view(1, 1, -1).lt(grid.view(-1, 1, 1));
        var inside = position.ge(held.Of(-1.0)).logical_and(position.le(held.Of(length))).logical_and(used);
        var clamped = position.clamp_min(held.Of(0.0));
        var last = held.Of(length - 1);
        var low = clamped.floor().clamp_max(last);
        var atEnd = low.ge(last);
        var high = where(atEnd, low, low + one);
        var fraction = where(atEnd, zeros_like(clamped), clamped - low);
        var weight = inside.to(float64) / grid.clamp_min(one).view(-1, 1, 1);
        var matrix = zeros(rois, bins, length, dtype: float64, device: start.device);
        matrix.scatter_add_(2, low.to(int64), weight * (one - fraction));
        matrix.scatter_add_(2, high.to(int64), weight * fraction);
        return matrix;
    }
}
