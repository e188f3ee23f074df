using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>
/// MMAction2's BaseHead: <c>forward(features, numSegments)</c> gives class scores; loss and test-time clip averaging
/// follow the head's config.
/// </summary>
public abstract class BaseHead : nn.Module<Tensor, long, Tensor>, IInitWeights
{
    private readonly HeadConfig config;
    private readonly ClassificationLoss loss;

    protected BaseHead(string name, HeadConfig config, string keyPath) : base(name)
    {
        if (config.NumClasses <= 0) throw new ArgumentException($"{keyPath}.num_classes: must be positive");
        if (config.InChannels <= 0) throw new ArgumentException($"{keyPath}.in_channels: must be positive");
        this.config = config;
        loss = new ClassificationLoss(config);
    }

    public int NumClasses => config.NumClasses;

    public Tensor Loss(Tensor logits, Tensor labels) => loss.Compute(logits, labels);

    /// <summary>
    /// BaseHead.average_clip: scores [N·V, K] → [N, K]: prob = softmax then mean over the V views, score = mean.
    /// Without average_clips the per-view scores come back as [N, V, K] ([N, K] when V is 1).
    /// </summary>
    public Tensor AverageClip(Tensor scores, long numViews)
    {
        using var scope = NewDisposeScope();
        var perView = scores.view(scores.shape[0] / numViews, numViews, scores.shape[1]);
        var averaged = config.AverageClips switch
        {
            AverageClips.Prob => nn.functional.softmax(perView, 2).mean([1]),
            AverageClips.Score => perView.mean([1]),
            _ => numViews == 1 ? perView.squeeze(1) : perView,
        };
        return averaged.MoveToOuterDisposeScope();
    }

    /// <summary>With <c>init_cfg</c>: MMEngine's rules; otherwise MMAction2's normal(std=init_std) on fc_cls.</summary>
    public void InitWeights(IPretrainedLoader? loader)
    {
        if (config.InitCfg is { Count: > 0 }) WeightInitializer.InitWeights(this, config.InitCfg, loader);
        else DefaultInit.NormalClassifier(Classifier, InitStd);
    }

    protected abstract nn.Module Classifier { get; }
    protected abstract double InitStd { get; }

    protected static TorchSharp.Modules.Dropout? DropoutOrNone(double ratio) => ratio != 0 ? nn.Dropout(ratio) : null;

    protected static void ValidateSpatialType(string? spatialType, string keyPath)
    {
        if (spatialType is not (null or "avg"))
            throw new ArgumentException($"{keyPath}.spatial_type: '{spatialType}' is not 'avg' or null");
    }
}
