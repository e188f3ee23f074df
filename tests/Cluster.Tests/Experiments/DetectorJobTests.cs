using Cluster.Tests.Data.Ava;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Experiments;

/// <summary>
/// A FastRCNN config through the product jobs on a hand-made AVA set: TrainingJob trains on ground-truth RoIs,
/// validates on proposals with AVAMetric (detections → frame mAP) and writes .pth checkpoints; TestJob loads one
/// strictly (every MMAction2-named key) and evaluates.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class DetectorJobTests : IDisposable
{
    private readonly AvaTestSet set = new();
    private readonly string workDir = Directory.CreateTempSubdirectory("detector-job-").FullName;

    public void Dispose()
    {
        set.Dispose();
        Directory.Delete(workDir, recursive: true);
    }

    [Fact]
    public void TrainingJobTrainsADetectorAndTestJobEvaluatesItsCheckpoint()
    {
        var document = ConfigLoader.LoadMerged(Config(), "detector.yaml");

        var events = new List<TrainingEvent>();
        var result = TrainingJob.Prepare(document, workDir, "cpu").Run(new SyncProgress(events.Add));

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(2, result.EpochsRun);
        Assert.All(events.OfType<IterationProgress>(), e => Assert.True(double.IsFinite(e.Loss)));
        Assert.InRange(result.Metrics["mAP@0.5IOU"], 0.0, 1.0);
        var checkpoint = Path.Combine(workDir, "epoch_2.pth");
        Assert.True(File.Exists(checkpoint));

        var metrics = TestJob.Prepare(document, checkpoint, "cpu").Run();
        // Proposals at 0.85: 902 keeps the one over person A (IoU 0.92), 903 the one over person B (no ground truth
        // there); every class scores above action_thr, so every class has detections and an AP.
        Assert.InRange(metrics["mAP@0.5IOU"], 0.0, 1.0);
        Assert.Equal(3, metrics.Keys.Count(key => key.StartsWith("AP@0.5IOU/")));
    }

    private string Config()
    {
        var labels = set.Write("labels.pbtxt", """
            item { name: "walk" id: 1 }
            item { name: "talk" id: 2 }
            item { name: "wave" id: 3 }
            """);
        var metric = $"{{type: AVAMetric, ann_file: {set.AnnFile}, label_file: {labels}, exclude_file: {set.ExcludeFile}, num_classes: 4}}";
        // Training RoIs are the ground truth (plus matching proposals); validation and test RoIs are the proposals.
        string Dataset(bool testMode) => $$"""
              dataset:
                type: AVADataset
                ann_file: {{set.AnnFile}}
                exclude_file: {{set.ExcludeFile}}
                proposal_file: {{set.ProposalFile}}
                data_prefix: {img: {{Path.Combine(set.Root, "rawframes")}}}
                filename_tmpl: 'img_{:05}.png'
                fps: 2
                timestamp_start: 900
                timestamp_end: 905
                num_classes: 4
                person_det_score_thr: {{(testMode ? "0.85" : "0.9")}}
                test_mode: {{(testMode ? "true" : "false")}}
                pipeline:
                  - {type: SampleAVAFrames, clip_len: 2, frame_interval: 2}
                  - {type: RawFrameDecode}
                  - {type: Resize, scale: [64, 32], keep_ratio: false}
                  - {type: FormatShape, input_format: NCTHW, collapse: true}
                  - {type: PackActionInputs}
            """;
        return $$$"""
            model:
              type: FastRCNN
              _scope_: mmdet
              backbone: {type: ResNet3dSlowOnly, depth: 18, base_channels: 4, stage_blocks: [1, 1, 1, 1], spatial_strides: [1, 2, 2, 1]}
              roi_head:
                type: AVARoIHead
                bbox_roi_extractor: {type: SingleRoIExtractor3D, roi_layer_type: RoIAlign, output_size: 2, with_temporal_pool: true}
                bbox_head: {type: BBoxHeadAVA, in_channels: 32, num_classes: 4, multilabel: true, dropout_ratio: 0.5}
              data_preprocessor: {type: ActionDataPreprocessor, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], format_shape: NCTHW}
              test_cfg: {rcnn: {action_thr: 0.002}}
            train_dataloader:
              batch_size: 2
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: true}
            {{{Dataset(false)}}}
            val_dataloader:
              batch_size: 2
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: false}
            {{{Dataset(true)}}}
            test_dataloader:
              batch_size: 1
              num_workers: 0
              sampler: {type: DefaultSampler, shuffle: false}
            {{{Dataset(true)}}}
            val_evaluator: {{{metric}}}
            test_evaluator: {{{metric}}}
            train_cfg: {type: EpochBasedTrainLoop, max_epochs: 2, val_interval: 1}
            optim_wrapper: {optimizer: {type: SGD, lr: 0.01, momentum: 0.9}}
            default_hooks: {checkpoint: {type: CheckpointHook, interval: 1}}
            randomness: {seed: 0}
            """;
    }
}
