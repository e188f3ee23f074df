using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>MMAction2's I3DHead over [B, C, T, H, W] backbone features; one score row per input clip.</summary>
public sealed class I3DHead : BaseHead
{
    private readonly AdaptiveAvgPool3d? avg_pool;
    private readonly Dropout? dropout;
    private readonly Linear fc_cls;
    private readonly I3DHeadConfig config;

    public I3DHead(I3DHeadConfig config, string keyPath = "cls_head") : base(nameof(I3DHead), config, keyPath)
    {
        ValidateSpatialType(config.SpatialType, keyPath);
        this.config = config;
        avg_pool = config.SpatialType == "avg" ? nn.AdaptiveAvgPool3d(1) : null;
        dropout = DropoutOrNone(config.DropoutRatio);
        fc_cls = nn.Linear(config.InChannels, config.NumClasses);
        RegisterComponents();
    }

    protected override nn.Module Classifier => fc_cls;
    protected override double InitStd => config.InitStd;

    /// <summary>The segment count is unused: every clip is scored on its own (averaging happens later).</summary>
    public override Tensor forward(Tensor features, long numSegments)
    {
        using var scope = NewDisposeScope();
        var x = avg_pool is null ? features : avg_pool.forward(features);
        if (dropout is not null) x = dropout.forward(x);
        return fc_cls.forward(x.reshape(x.shape[0], -1)).MoveToOuterDisposeScope();
    }
}
