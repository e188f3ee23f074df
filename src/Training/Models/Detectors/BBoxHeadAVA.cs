using Cluster.Training.Engine;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMAction2's BBoxHeadAVA: RoI features [R, C, T, H, W] → (dropout) → temporal pool → spatial pool → (dropout) →
/// <c>fc_cls</c> → logits [R, K]. Multi-label: scores are sigmoids, and the loss is MMAction2's
/// <c>loss_action_cls</c> (see <see cref="Loss"/>).
/// </summary>
public sealed class BBoxHeadAVA : nn.Module<Tensor, Tensor>, Init.IInitWeights
{
    private readonly Dropout? dropout;
    private readonly Linear fc_cls;
    private readonly BBoxHeadAVAConfig config;

    public BBoxHeadAVA(BBoxHeadAVAConfig config, string keyPath = "roi_head.bbox_head") : base(nameof(BBoxHeadAVA))
    {
        if (config.TemporalPoolType is not ("avg" or "max"))
            throw new ArgumentException($"{keyPath}.temporal_pool_type: '{config.TemporalPoolType}' is not avg or max");
        if (config.SpatialPoolType is not ("avg" or "max"))
            throw new ArgumentException($"{keyPath}.spatial_pool_type: '{config.SpatialPoolType}' is not avg or max");
        if (config.NumClasses < 2)
            throw new ArgumentException($"{keyPath}.num_classes: needs at least 2 (class 0 is reserved), got {config.NumClasses}");
        if (config.InChannels <= 0)
            throw new ArgumentException($"{keyPath}.in_channels: must be positive, got {config.InChannels}");
        if (config.DropoutRatio is < 0 or >= 1)
            throw new ArgumentException($"{keyPath}.dropout_ratio: must be in [0, 1), got {config.DropoutRatio}");
        if (!config.Multilabel)
            throw new ArgumentException($"{keyPath}.multilabel: only multi-label (sigmoid) classification is supported");
        this.config = config;
        dropout = config.DropoutRatio > 0 ? nn.Dropout(config.DropoutRatio) : null;
        fc_cls = nn.Linear(config.InChannels, config.NumClasses);
        RegisterComponents();
    }

    public int NumClasses => config.NumClasses;

    public override Tensor forward(Tensor roiFeatures)
    {
        using var scope = NewDisposeScope();
        var x = roiFeatures;
        if (dropout is not null && config.DropoutBeforePool) x = dropout.forward(x);
        x = config.TemporalPoolType == "avg" ? x.mean([2], keepdim: true) : x.amax([2], keepdim: true);
        x = config.SpatialPoolType == "avg" ? x.mean([3, 4], keepdim: true) : x.amax([3, 4], keepdim: true);
        if (dropout is not null && !config.DropoutBeforePool) x = dropout.forward(x);
        return fc_cls.forward(x.flatten(1)).MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MMAction2's multi-label <c>loss_action_cls</c>: only RoIs with a positive label among classes 1..K−1 count;
    /// over them, the mean of alpha·(1 − e^−bce)^gamma·bce of every class but 0 (plain sigmoid BCE with the
    /// default alpha 1, gamma 0). A batch without any positive RoI has loss 0 (MMAction2's mean over nothing is NaN).
    /// </summary>
    /// <param name="logits">[R, K].</param>
    /// <param name="labels">[R, K] multi-hot (column 0 ignored).</param>
    public Tensor Loss(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        var (zero, one) = (held.Of(0), held.Of(1));
        var targets = labels.to(logits.dtype)[.., 1..];
        var positive = targets.sum(1).gt(zero).nonzero().squeeze(1);
        if (positive.shape[0] == 0) return (logits.sum() * zero).MoveToOuterDisposeScope();
        var scores = logits[.., 1..].index_select(0, positive);
        var bce = nn.functional.binary_cross_entropy_with_logits(scores, targets.index_select(0, positive),
            reduction: nn.Reduction.None);
        var alpha = held.Of(config.FocalAlpha);
        var focal = config.FocalGamma == 0
            ? bce * alpha
            : alpha * (one - (-bce).exp()).pow(held.Of(config.FocalGamma)) * bce;
        return focal.mean().MoveToOuterDisposeScope();
    }

    /// <summary>MMAction2's init_weights: normal(0, 0.01) weights, zero bias.</summary>
    public void InitWeights(Init.IPretrainedLoader? loader) => DefaultInit.NormalClassifier(fc_cls, 0.01);
}
