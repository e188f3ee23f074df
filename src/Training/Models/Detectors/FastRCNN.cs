using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMAction2's spatio-temporal action detector (FastRCNN + AVARoIHead) over detection batches: the clip of each
/// sample ([N, 1, C, T, H, W], one view) goes through the 3D backbone, the batch's RoIs
/// (<see cref="Batch.Detection"/>) through the RoI head. Checkpoint keys as MMAction2: <c>backbone.*</c>,
/// <c>roi_head.bbox_head.fc_cls.*</c>, <c>roi_head.shared_head.*</c>.
/// </summary>
public sealed class FastRCNN : VideoModel, IInitWeights
{
    private readonly nn.Module<Tensor, Tensor> backbone;
    private readonly AVARoIHead roi_head;
    private readonly IReadOnlyList<InitConfig>? initCfg;

    /// <param name="backbone">A 3D backbone: [B, C, T, H, W] → features [B, C', T', H', W'].</param>
    /// <param name="backboneChannels">C' (the RoI features' channels).</param>
    /// <param name="actionThreshold">A class is detected for a RoI when its score is above this (test_cfg.rcnn.action_thr).</param>
    public FastRCNN(nn.Module<Tensor, Tensor> backbone, long backboneChannels, AVARoIHeadConfig roiHead,
        double actionThreshold, IReadOnlyList<InitConfig>? initCfg = null) : base(nameof(FastRCNN))
    {
        this.backbone = backbone;
        roi_head = new AVARoIHead(roiHead, backboneChannels, "model.roi_head");
        ActionThreshold = actionThreshold;
        this.initCfg = initCfg;
        RegisterComponents();
    }

    public override int NumClasses => roi_head.BboxHead.NumClasses;

    public double ActionThreshold { get; }

    /// <summary>Backbone features [N, C', T', H', W'] of the batch's clips.</summary>
    public Tensor Features(Batch batch, Device device)
    {
        var inputs = batch.Inputs;
        if (inputs.dim() != 6 || inputs.shape[1] != 1)
            throw new ArgumentException(
                $"FastRCNN expects inputs [N, 1, C, T, H, W] (one view per sample), got [{string.Join(", ", inputs.shape)}]");
        return backbone.forward(inputs.squeeze(1).to(device));
    }

    /// <summary>MMAction2's loss_action_cls of the RoIs' logits against their labels.</summary>
    public override Tensor TrainingLoss(Batch batch, Device device)
    {
        using var scope = NewDisposeScope();
        var targets = Targets(batch);
        var logits = roi_head.Logits(Features(batch, device), targets);
        return roi_head.BboxHead.Loss(logits, targets.Labels.to(device)).MoveToOuterDisposeScope();
    }

    /// <summary>Sigmoid scores [R, K] of the batch's RoIs, in their order.</summary>
    public override Tensor Predict(Batch batch, Device device)
    {
        using var scope = NewDisposeScope();
        return roi_head.Logits(Features(batch, device), Targets(batch)).sigmoid().MoveToOuterDisposeScope();
    }

    /// <summary>
    /// MMAction2's bbox2result: for every RoI and class c ≥ 1 whose score is above <see cref="ActionThreshold"/>, a
    /// detection of the RoI's box (normalised, as the dataset recorded it) at its keyframe.
    /// </summary>
    public override IReadOnlyList<AvaDetection> Detections(Tensor scores, DetectionTargets targets)
    {
        if (scores.dim() != 2 || scores.shape[0] != targets.Count)
            throw new ArgumentException($"FastRCNN: {targets.Count} RoIs but scores [{string.Join(", ", scores.shape)}]");
        if (targets.Count == 0) return [];
        using var cpu = scores.detach().to(float32).cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        int classes = (int)cpu.shape[1];
        // Compared in float32, as MMAction2 compares its float32 scores with the threshold.
        float threshold = (float)ActionThreshold;
        var detections = new List<AvaDetection>();
        for (int r = 0; r < targets.Count; r++)
        {
            var info = targets.Info[r];
            for (int c = 1; c < classes; c++)
            {
                float score = values[r * classes + c];
                if (score > threshold) detections.Add(new AvaDetection(info.Key, info.Box, c, score));
            }
        }
        return detections;
    }

    /// <summary>
    /// MMAction2's LFBInferHead features of the batch's RoIs, for a long-term feature bank: RoI features (after the
    /// extractor's temporal pooling) → temporal average → spatial max → float32 [R, C'], in RoI order, on the CPU.
    /// Without autograd; runs the backbone in the model's current mode (call <c>eval()</c> first, as LFBInferHead
    /// runs in test mode).
    /// </summary>
    public Tensor PersonFeatures(Batch batch, Device device)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var targets = Targets(batch);
        var roiFeatures = roi_head.RoiFeatures(Features(batch, device), targets.Rois);
        var pooled = roiFeatures.mean([2]).amax([2, 3]);
        return pooled.to(float32).cpu().MoveToOuterDisposeScope();
    }

    public void InitWeights(IPretrainedLoader? loader) => WeightInitializer.InitWeights(this, initCfg, loader);

    private static DetectionTargets Targets(Batch batch) => batch.Detection
        ?? throw new ArgumentException("FastRCNN: the batch has no RoIs (Batch.Detection is null): a detector needs a detection dataset such as AVADataset");
}
