using Cluster.Training.Data.Detection;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMAction2's AVARoIHead: <c>bbox_roi_extractor</c> (RoI features of the backbone map) → optional
/// <c>shared_head</c> (e.g. a feature-bank operator) → <c>bbox_head</c> (class logits). Its parameters are named as
/// MMAction2's, under <c>roi_head.</c>: <c>shared_head.*</c>, <c>bbox_head.fc_cls.*</c>.
/// </summary>
public sealed class AVARoIHead : nn.Module, IInitWeights
{
    private readonly SingleRoIExtractor3D bbox_roi_extractor;
    private readonly RoiSharedHead? shared_head;
    private readonly BBoxHeadAVA bbox_head;

    /// <param name="inChannels">Channels of the backbone's feature map.</param>
    public AVARoIHead(AVARoIHeadConfig config, long inChannels, string keyPath = "roi_head") : base(nameof(AVARoIHead))
    {
        bbox_roi_extractor = new SingleRoIExtractor3D(config.BboxRoiExtractor, $"{keyPath}.bbox_roi_extractor");
        shared_head = config.SharedHead?.Build("roi_head.shared_head", checked((int)inChannels));
        long headInput = shared_head?.OutChannels ?? inChannels;
        if (config.BboxHead.InChannels != headInput)
            throw new ArgumentException(
                $"{keyPath}.bbox_head.in_channels: {config.BboxHead.InChannels} does not match the {headInput} channels " +
                (shared_head is null ? "of the backbone's features" : "that the shared head outputs"));
        bbox_head = new BBoxHeadAVA(config.BboxHead, $"{keyPath}.bbox_head");
        RegisterComponents();
    }

    public BBoxHeadAVA BboxHead => bbox_head;

    /// <summary>RoI features [R, C, T', out_h, out_w] of the backbone map (before any shared head).</summary>
    public Tensor RoiFeatures(Tensor features, Tensor rois) => bbox_roi_extractor.forward(features, rois);

    /// <summary>Class logits [R, K] of the batch's RoIs.</summary>
    public Tensor Logits(Tensor features, DetectionTargets targets)
    {
        using var scope = NewDisposeScope();
        var roiFeatures = RoiFeatures(features, targets.Rois);
        if (shared_head is not null) roiFeatures = shared_head.forward(roiFeatures, targets.Info);
        return bbox_head.forward(roiFeatures).MoveToOuterDisposeScope();
    }

    /// <summary>MMEngine order: the children's own init (the bbox head's normal(0.01), a shared head's).</summary>
    public void InitWeights(IPretrainedLoader? loader) => WeightInitializer.InitWeights(this, null, loader);
}
