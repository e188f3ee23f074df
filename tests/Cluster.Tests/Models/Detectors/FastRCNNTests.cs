using Cluster.Training.Configs;
using Cluster.Training.Data;
using Cluster.Training.Data.Detection;
using Cluster.Training.Models;
using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Models.Detectors;

[Collection(GlobalTorchRandomCollection.Name)]
public class FastRCNNTests
{
    [Fact]
    public void CheckpointKeysAreMMAction2s()
    {
        using var model = TinyDetector.Build(seed: 1);
        var keys = model.state_dict().Keys.ToList();

        Assert.Contains("backbone.conv1.conv.weight", keys);
        Assert.Contains("backbone.layer4.0.conv1.bn.running_mean", keys);
        Assert.Contains("roi_head.bbox_head.fc_cls.weight", keys);
        Assert.Contains("roi_head.bbox_head.fc_cls.bias", keys);
        Assert.All(keys, key => Assert.True(key.StartsWith("backbone.") || key.StartsWith("roi_head.bbox_head."), key));
        Assert.Equal(TinyDetector.Classes, model.NumClasses);
    }

    [Fact]
    public void TrainingLossBackpropagatesIntoTheBackboneAndTheClassifier()
    {
        using var model = TinyDetector.Build(seed: 2);
        using var batch = TinyDetector.Batch(seed: 3);

        using var loss = model.TrainingLoss(batch, CPU);
        loss.backward();

        Assert.Equal(0, loss.dim());
        Assert.True(double.IsFinite(loss.item<float>()) && loss.item<float>() > 0);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(parameters["roi_head.bbox_head.fc_cls.weight"].grad!.abs().sum().item<float>() > 0);
        Assert.True(parameters["backbone.conv1.conv.weight"].grad!.abs().sum().item<float>() > 0);
        // Column 0 is never trained.
        Assert.Equal(0f, parameters["roi_head.bbox_head.fc_cls.weight"].grad![0].abs().sum().item<float>());
    }

    [Fact]
    public void PredictGivesSigmoidScoresPerRoiAndDetectionsAboveTheThresholdFromClassOne()
    {
        using var model = TinyDetector.Build(seed: 4);
        model.eval();
        using var batch = TinyDetector.Batch(seed: 5);
        using var noGrad = no_grad();

        using var scores = model.Predict(batch, CPU);
        Assert.Equal(new long[] { 3, TinyDetector.Classes }, scores.shape);
        Assert.True(scores.gt(0).all().item<bool>() && scores.lt(1).all().item<bool>());

        // A hand-made score table makes the threshold rule visible: above 0.002 (strictly, in float32), never class 0.
        var table = tensor(new float[,] { { 0.9f, 0.001f, 0.5f, 0.002f }, { 0.1f, 0.0021f, 0f, 1f }, { 0f, 0f, 0f, 0f } });
        var detections = model.Detections(table, batch.Detection!);

        Assert.Equal(0.002, model.ActionThreshold);
        Assert.Equal(
            [(0, 2, 0.5f), (1, 1, 0.0021f), (1, 3, 1f)],
            detections.Select(d => (batch.Detection!.Info.ToList().FindIndex(i => i.Box == d.Box), d.ActionId, d.Score)));
        Assert.Equal(batch.Detection!.Info[1].Key, detections[1].Key);
    }

    [Fact]
    public void PersonFeaturesAreTheTemporalMeanThenSpatialMaxOfTheRoiFeatures()
    {
        using var model = TinyDetector.Build(seed: 6);
        model.eval();
        using var batch = TinyDetector.Batch(seed: 7);
        using var noGrad = no_grad();

        using var features = model.PersonFeatures(batch, CPU);

        Assert.Equal(new long[] { 3, TinyDetector.Channels }, features.shape);
        Assert.Equal(ScalarType.Float32, features.dtype);
        // Independently: backbone map → mean over time → RoIAlign (output 2, stride 16, adaptive) → max over space.
        using var map = model.Features(batch, CPU);
        using var expected = RoiAlign.Apply(map.mean([2]), batch.Detection!.Rois, 2, 2, 1.0 / 16, 0, aligned: true)
            .amax([2, 3]);
        Assert.True(features.allclose(expected, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void ABatchWithoutRoisGivesNoScoresNoFeaturesAndAZeroLoss()
    {
        using var model = TinyDetector.Build(seed: 13);
        using var batch = new Batch(randn([1, 1, 3, 4, 64, 64]), empty(0), [0])
        {
            Detection = new DetectionTargets(zeros(0, 5), zeros(0, TinyDetector.Classes), []),
        };

        using var loss = model.TrainingLoss(batch, CPU);
        Assert.Equal(0f, loss.item<float>());
        model.eval();
        using var scores = model.Predict(batch, CPU);
        Assert.Equal(new long[] { 0, TinyDetector.Classes }, scores.shape);
        Assert.Empty(model.Detections(scores, batch.Detection!));
        using var features = model.PersonFeatures(batch, CPU);
        Assert.Equal(new long[] { 0, TinyDetector.Channels }, features.shape);
    }

    [Fact]
    public void BindsFromAnMMAction2StyleModelSection()
    {
        var document = ConfigLoader.LoadMerged($$"""
            {{TinyDetector.ModelYaml(outputSize: 8, numClasses: 5, actionThr: 0.01)}}
              train_cfg:
                rcnn:
                  assigner: {type: MaxIoUAssignerAVA, pos_iou_thr: 0.9, neg_iou_thr: 0.9, min_pos_iou: 0.9}
                  sampler: {type: RandomSampler, num: 32, pos_fraction: 1, neg_pos_ub: -1, add_gt_as_proposals: true}
                  pos_weight: 1.0
            """, "detector.yaml");

        var config = ConfigBinder.Bind<ModelConfig>(document, "model");
        using var model = ModelBuilder.Build(config, loader: null);

        var detector = Assert.IsType<FastRCNN>(model);
        Assert.Equal(5, detector.NumClasses);
        Assert.Equal(0.01, detector.ActionThreshold);
        Assert.True(detector.training);
    }

    [Fact]
    public void ABboxHeadWhoseInputDoesNotMatchTheBackboneIsNamed()
    {
        var config = TinyDetector.Config();
        var wrong = new FastRCNNConfig
        {
            Backbone = config.Backbone,
            RoiHead = new AVARoIHeadConfig { BboxHead = new BBoxHeadAVAConfig { InChannels = 2048 } },
        };
        var error = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(wrong, loader: null));
        Assert.StartsWith("model.roi_head.bbox_head.in_channels: 2048 does not match the 32 channels", error.Message);
    }

    [Fact]
    public void ARecognitionBatchIsRejectedWithAClearError()
    {
        using var model = TinyDetector.Build(seed: 8);
        using var batch = new Batch(randn([2, 1, 3, 4, 64, 64]), tensor(new long[] { 0, 1 }), [0, 1]);
        var error = Assert.Throws<ArgumentException>(() => model.TrainingLoss(batch, CPU));
        Assert.Contains("Batch.Detection is null", error.Message);
    }

    [Fact]
    public void ASharedHeadSitsBetweenTheExtractorAndTheBboxHead()
    {
        var config = TinyDetector.Config();
        var withShared = new FastRCNNConfig
        {
            Backbone = config.Backbone,
            RoiHead = new AVARoIHeadConfig
            {
                BboxRoiExtractor = config.RoiHead!.BboxRoiExtractor,
                SharedHead = new DoublingSharedHeadConfig(),
                BboxHead = new BBoxHeadAVAConfig { InChannels = 2 * TinyDetector.Channels, NumClasses = TinyDetector.Classes },
            },
        };
        manual_seed(9);
        using var model = ModelBuilder.Build(withShared, loader: null);
        using var batch = TinyDetector.Batch(seed: 10);

        using var loss = model.TrainingLoss(batch, CPU);
        loss.backward();

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(parameters["roi_head.shared_head.scale"].grad!.abs().item<float>() > 0);
        Assert.Equal(new long[] { TinyDetector.Classes, 2 * TinyDetector.Channels }, parameters["roi_head.bbox_head.fc_cls.weight"].shape);
        Assert.Equal(batch.Detection!.Info, DoublingSharedHead.LastInfo);
    }

    /// <summary>A stand-in shared head (the real one, FBOHead, is another part's): pooled features and a scaled copy.</summary>
    private sealed class DoublingSharedHeadConfig : SharedHeadConfig
    {
        public override RoiSharedHead Build(string name, int inChannels) => new DoublingSharedHead(name, inChannels);
    }

    private sealed class DoublingSharedHead : RoiSharedHead
    {
        private readonly TorchSharp.Modules.Parameter scale = new(ones(1));
        private readonly int channels;

        public DoublingSharedHead(string name, int channels) : base(name)
        {
            this.channels = channels;
            RegisterComponents();
        }

        public static IReadOnlyList<RoiInfo>? LastInfo { get; private set; }

        public override int OutChannels => 2 * channels;

        public override Tensor forward(Tensor roiFeatures, IReadOnlyList<RoiInfo> info)
        {
            LastInfo = info;
            var pooled = roiFeatures.mean([2], keepdim: true).amax([3, 4], keepdim: true);
            return cat([pooled, pooled * scale], 1);
        }
    }
}
