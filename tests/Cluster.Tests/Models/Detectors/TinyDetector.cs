using System.Globalization;
using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Models;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Models.Detectors;

/// <summary>
/// A FastRCNN small enough for CPU tests: SlowOnly-18 with one block per stage and base width 4 (32 output
/// channels, stride 16 as AVA's spatial_strides (1, 2, 2, 1)), RoIAlign 2×2, 4 classes (class 0 reserved); and
/// hand-made detection batches of 64×64 clips of 4 frames.
/// </summary>
internal static class TinyDetector
{
    public const int Classes = 4;
    public const int Channels = 32;
    public const int Size = 64;

    public static FastRCNNConfig Config(double dropoutRatio = 0) => new()
    {
        Backbone = new ResNet3dSlowOnlyConfig
        {
            Depth = 18, BaseChannels = 4, StageBlocks = [1, 1, 1, 1], SpatialStrides = [1, 2, 2, 1],
        },
        RoiHead = new AVARoIHeadConfig
        {
            BboxRoiExtractor = new SingleRoIExtractor3DConfig { OutputSize = 2L },
            BboxHead = new BBoxHeadAVAConfig { InChannels = Channels, NumClasses = Classes, DropoutRatio = dropoutRatio },
        },
    };

    /// <summary>The same detector as an MMAction2-style <c>model:</c> section (YAML at column 0, ending with test_cfg).</summary>
    public static string ModelYaml(int outputSize = 2, int numClasses = Classes, double actionThr = 0.002) =>
        string.Create(CultureInfo.InvariantCulture, $$$"""
            model:
              type: FastRCNN
              _scope_: mmdet
              backbone: {type: ResNet3dSlowOnly, depth: 18, base_channels: 4, stage_blocks: [1, 1, 1, 1], spatial_strides: [1, 2, 2, 1]}
              roi_head:
                type: AVARoIHead
                bbox_roi_extractor: {type: SingleRoIExtractor3D, roi_layer_type: RoIAlign, output_size: {{{outputSize}}}, with_temporal_pool: true}
                bbox_head: {type: BBoxHeadAVA, in_channels: {{{Channels}}}, num_classes: {{{numClasses}}}, multilabel: true, dropout_ratio: 0.5}
              data_preprocessor: {type: ActionDataPreprocessor, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], format_shape: NCTHW}
              test_cfg: {rcnn: {action_thr: {{{actionThr}}}}}
            """);

    public static FastRCNN Build(long seed, double dropoutRatio = 0)
    {
        manual_seed(seed);
        return ModelBuilder.Build(Config(dropoutRatio), loader: null);
    }

    /// <summary>Two clips; RoI 0 in clip 0, RoIs 1 and 2 in clip 1, boxes in input pixels, multi-hot labels.</summary>
    public static Batch Batch(long seed, int firstSample = 0)
    {
        using var generator = new Generator((ulong)seed);
        var inputs = randn([2, 1, 3, 4, Size, Size], generator: generator);
        float[,] boxes = { { 0, 4, 4, 40, 60 }, { 1, 20, 8, 60, 50 }, { 1, 0, 0, 30, 30 } };
        float[,] labels = { { 0, 1, 0, 1 }, { 0, 0, 1, 0 }, { 0, 1, 1, 0 } };
        var info = Enumerable.Range(0, 3).Select(r => new RoiInfo(
            new AvaKey($"video{firstSample + (int)boxes[r, 0]}", 902),
            new NormalizedBox(boxes[r, 1] / Size, boxes[r, 2] / Size, boxes[r, 3] / Size, boxes[r, 4] / Size),
            (int)boxes[r, 0])).ToList();
        return new Batch(inputs, empty(0), [firstSample, firstSample + 1])
        {
            Detection = new DetectionTargets(tensor(boxes), tensor(labels), info),
        };
    }
}
