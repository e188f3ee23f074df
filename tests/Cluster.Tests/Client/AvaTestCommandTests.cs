using Cluster.Tests.Data.Ava;

namespace Cluster.Tests.Client;

/// <summary>
/// `cluster train` then `cluster test` of a FastRCNN detector with AVAMetric on avadata's hand-made AVA set, through
/// the real command tree: validation logs AVA keys, the test prints the per-class table and the category means.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class AvaTestCommandTests : IDisposable
{
    private readonly AvaTestSet set = new();
    private readonly string work = Directory.CreateTempSubdirectory("ava-cli-work-").FullName;

    public void Dispose()
    {
        set.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void TestPrintsThePerClassApTableAndCategoryMeans()
    {
        var config = set.Write("detector.yaml", Config());
        var train = CliRunner.Run("train", "--in-process", config, "--work-dir", work, "--device", "cpu");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("mAP@0.5IOU", File.ReadAllText(Path.Combine(work, "scalars.json")));

        var test = CliRunner.Run("test", config, "--checkpoint", Path.Combine(work, "epoch_1.pth"), "--device", "cpu");

        Assert.True(test.ExitCode == 0, test.Error);
        var lines = test.OutputLines;
        var summary = Assert.Single(lines, l => l.StartsWith("Epoch(test)", StringComparison.Ordinal));
        Assert.Contains("mAP@0.5IOU: ", summary);
        Assert.DoesNotContain(" AP@0.5IOU/", summary); // per-class APs are in the table only
        var header = Array.FindIndex(lines, l => l.StartsWith("class", StringComparison.Ordinal));
        Assert.EndsWith("AP@0.5IOU", lines[header]);
        // The test RoIs are the kept proposals: near person A at 0902 and person B at 0903 (ann.csv has no class-2
        // box there), so "pose" (2) is only FPs → AP 0. "stand" (1) and "talk" (3) have one TP of two GT boxes
        // (stand's second is on the excluded 0904, still counted) and one FP: 1/2 when the TP ranks first, else 1/4.
        Assert.Matches(@"^stand\s+0\.(5000|2500)$", lines[header + 1]);
        Assert.Matches(@"^pose\s+0\.0000$", lines[header + 2]);
        Assert.Matches(@"^talk\s+0\.(5000|2500)$", lines[header + 3]);
        Assert.Matches(@"^mAP person movement\s+0\.\d{4}$", lines[header + 4]);
        Assert.Matches(@"^mAP object manipulation\s+n/a$", lines[header + 5]);
        Assert.Matches(@"^mAP person interaction\s+n/a$", lines[header + 6]);
        Assert.Matches(@"^mAP overall\s+0\.\d{4}$", lines[header + 7]);
    }

    private string Config()
    {
        var labels = set.Write("labels.pbtxt", "item { name: \"stand\" id: 1 }\nitem { name: \"pose\" id: 2 }\nitem { name: \"talk\" id: 3 }\n");
        string Dataset(bool testMode) => $$"""
              dataset:
                type: AVADataset
                ann_file: {{set.AnnFile}}
                exclude_file: {{set.ExcludeFile}}
                proposal_file: {{set.ProposalFile}}
                label_file: {{labels}}
                data_prefix: {img: {{Path.Combine(set.Root, "rawframes")}}}
                filename_tmpl: 'img_{:05}.png'
                fps: 2
                timestamp_start: 900
                timestamp_end: 905
                num_classes: 4
                person_det_score_thr: 0.9
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
            val_evaluator: &ava {type: AVAMetric, ann_file: {{{set.AnnFile}}}, label_file: {{{labels}}}, exclude_file: {{{set.ExcludeFile}}}, num_classes: 4}
            test_evaluator: *ava
            train_cfg: {type: EpochBasedTrainLoop, max_epochs: 1, val_interval: 1}
            optim_wrapper: {optimizer: {type: SGD, lr: 0.01, momentum: 0.9}}
            default_hooks: {checkpoint: {type: CheckpointHook, interval: 1}}
            randomness: {seed: 0}
            """;
    }
}
