using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>MMAction2's I3DHead over [B, C, T, H, W] backbone features; one score row per input clip.</summary>
public sealed class I3DHead : LinearClassifierHead
{
    private readonly AdaptiveAvgPool3d? avg_pool;

    public I3DHead(I3DHeadConfig config, string keyPath = "cls_head")
        : base(nameof(I3DHead), config, config.SpatialType, config.DropoutRatio, config.InitStd, keyPath)
    {
        avg_pool = config.SpatialType == "avg" ? nn.AdaptiveAvgPool3d(1) : null;
        RegisterComponents();
    }

    /// <summary>The segment count is unused: every clip is scored on its own (averaging happens later).</summary>
    public override Tensor forward(Tensor features, long numSegments)
    {
        using var scope = NewDisposeScope();
        var x = avg_pool is null ? features : avg_pool.forward(features);
        return Classify(x).MoveToOuterDisposeScope();
    }
}
