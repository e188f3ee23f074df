using Cluster.Training.Configs;
using Cluster.Training.Experiments;
using Cluster.Training.Lfb;
using Cluster.Training.Models;
using Cluster.Training.Models.Detectors;
using Cluster.Training.Optim.Schedulers;

namespace Cluster.Tests.Configs;

/// <summary>The LFB configs under configs/detection/lfb (MMAction2's recipe) and their CPU demo versions.</summary>
public class LfbConfigTests
{
    private const string Nl = "detection/lfb/lfb_nl_kinetics_pretrained_slowonly_r50_4x16x1_20e_ava_rgb.yaml";
    private const string Avg = "detection/lfb/lfb_avg_kinetics_pretrained_slowonly_r50_4x16x1_20e_ava_rgb.yaml";
    private const string Max = "detection/lfb/lfb_max_kinetics_pretrained_slowonly_r50_4x16x1_20e_ava_rgb.yaml";
    private const string Infer = "detection/lfb/lfb_slowonly_r50_ava_infer.yaml";

    private static readonly string ConfigsDir = Cluster.Tests.Experiments.DemoDataset.Config("");

    private static ConfigDocument Load(string relativePath) => ConfigLoader.Load(Path.Combine(ConfigsDir, relativePath), []);

    [Theory]
    [InlineData(Nl, "non_local", 2560)]
    [InlineData(Avg, "avg", 4096)]
    [InlineData(Max, "max", 4096)]
    [InlineData(Infer, null, 2048)]
    public void AvaConfigsBindAndBuildTheirDetector(string relativePath, string? fbo, int bboxInChannels)
    {
        var config = ExperimentConfig.From(Load(relativePath));
        var model = Assert.IsType<FastRCNNConfig>(config.Model);
        Assert.Equal(bboxInChannels, model.RoiHead!.BboxHead.InChannels);
        Assert.Equal(81, model.RoiHead.BboxHead.NumClasses);
        if (fbo is null)
            Assert.Null(model.RoiHead.SharedHead);
        else
            Assert.Equal(fbo, Assert.IsType<FBOHeadConfig>(model.RoiHead.SharedHead).FboCfg switch
            {
                FBONonLocalConfig => "non_local",
                FBOAvgConfig => "avg",
                FBOMaxConfig => "max",
                var other => other.GetType().Name,
            });

        // Building checks that bbox_head.in_channels is what the backbone and the shared head give (it is not
        // trained, so the bank is never read).
        using var detector = ModelBuilder.Build(model, loader: null);
        Assert.Equal(81, detector.NumClasses);
    }

    [Fact]
    public void NonLocalConfigHasMmaction2sRecipe()
    {
        var document = Load(Nl);
        var config = ExperimentConfig.From(document);

        var head = Assert.IsType<FBOHeadConfig>(((FastRCNNConfig)config.Model).RoiHead!.SharedHead);
        Assert.Equal((60, 5, 2048), (head.LfbCfg.WindowSize, head.LfbCfg.MaxNumSampledFeat, head.LfbCfg.LfbChannels));
        Assert.Equal(["train", "val"], head.LfbCfg.DatasetModes);
        var nl = Assert.IsType<FBONonLocalConfig>(head.FboCfg);
        Assert.Equal((512, 2, 0.2, 0.2, true, 300), (nl.LatentChannels, nl.NumNonLocalLayers, nl.StFeatDropoutRatio, nl.LtFeatDropoutRatio, nl.PreActivate, nl.NumLtFeat));
        Assert.Equal(0.9, document.Get("train_dataloader.dataset.person_det_score_thr"));
        Assert.Equal(0.85, document.Get("val_dataloader.dataset.person_det_score_thr"));
        Assert.Equal(12L, document.Get("train_dataloader.batch_size"));
        Assert.Equal(20, config.TrainCfg!.MaxEpochs);
        Assert.Equal(("SGD", 0.15, 0.9, 1e-5), ((string?)document.Get("optim_wrapper.optimizer.type"), (double?)document.Get("optim_wrapper.optimizer.lr"),
            (double?)document.Get("optim_wrapper.optimizer.momentum"), (double?)document.Get("optim_wrapper.optimizer.weight_decay")));
        Assert.Equal(20L, document.Get("optim_wrapper.clip_grad.max_norm"));
        var warmup = Assert.IsType<LinearLRConfig>(config.ParamScheduler[0]);
        Assert.Equal((0.1, 0, 5, true), (warmup.StartFactor, warmup.Begin, warmup.End, warmup.ConvertToIterBased));
        var steps = Assert.IsType<MultiStepLRConfig>(config.ParamScheduler[1]);
        Assert.Equal([10, 15], steps.Milestones);
        Assert.Equal(["SampleAVAFrames", "RawFrameDecode", "Resize", "FormatShape", "PackActionInputs"], TransformTypes(document, "val_dataloader"));
        Assert.Equal(4L, document.Get("val_dataloader.dataset.pipeline.0.clip_len"));
        Assert.Equal(16L, document.Get("val_dataloader.dataset.pipeline.0.frame_interval"));
    }

    [Theory]
    [InlineData(Avg)]
    [InlineData(Max)]
    public void AvgAndMaxDifferFromNonLocalOnlyInTheOperatorAndTheHeadWidth(string relativePath)
    {
        var nl = Load(Nl).Root;
        var other = Load(relativePath).Root;

        Assert.Equal(["model.roi_head.bbox_head.in_channels", "model.roi_head.shared_head.fbo_cfg"], DifferingKeys(nl, other, ""));
    }

    [Fact]
    public void InferConfigComputesBanksWithTheTrainThresholdOnEverySplit()
    {
        var document = Load(Infer);

        Assert.Equal(0.9, document.Get("train_dataloader.dataset.person_det_score_thr"));
        Assert.Equal(0.9, document.Get("val_dataloader.dataset.person_det_score_thr"));
        Assert.False(document.TryGet("model.roi_head.shared_head", out _));
        Assert.EndsWith(".pth", (string)document.Get("load_from")!);
    }

    [Theory]
    [InlineData("demo/lfb_tiny_synth_none.yaml", null, 64)]
    [InlineData("demo/lfb_tiny_synth_infer.yaml", null, 64)]
    [InlineData("demo/lfb_tiny_synth_avg.yaml", "avg", 128)]
    [InlineData("demo/lfb_tiny_synth_max.yaml", "max", 128)]
    [InlineData("demo/lfb_tiny_synth_nl.yaml", "non_local", 96)]
    public void TinyDemoConfigsBuildOnTheSyntheticSetsClasses(string relativePath, string? fbo, int bboxInChannels)
    {
        var document = Load(relativePath);
        var config = ExperimentConfig.From(document);
        var model = (FastRCNNConfig)config.Model;

        Assert.Equal(6, model.RoiHead!.BboxHead.NumClasses);
        Assert.Equal(bboxInChannels, model.RoiHead.BboxHead.InChannels);
        Assert.Equal(fbo is null, model.RoiHead.SharedHead is null);
        Assert.Equal(6L, document.Get("val_evaluator.num_classes"));
        using var detector = ModelBuilder.Build(model, loader: null);
        Assert.Equal(6, detector.NumClasses);
    }

    [Fact]
    public void TinyInferConfigReadsTheBaselinesCheckpoint() =>
        Assert.Equal("work_dirs/lfb_tiny_synth_none/latest.pth", Load("demo/lfb_tiny_synth_infer.yaml").Get("load_from"));

    private static List<string> TransformTypes(ConfigDocument document, string loader) =>
        ((List<object?>)document.Get($"{loader}.dataset.pipeline")!).Select(t => (string)((Dictionary<string, object?>)t!)["type"]!).ToList();

    private static List<string> DifferingKeys(Dictionary<string, object?> a, Dictionary<string, object?> b, string prefix)
    {
        var keys = a.Keys.Union(b.Keys).Order(StringComparer.Ordinal);
        var differing = new List<string>();
        foreach (var key in keys)
        {
            var path = RawTree.JoinPath(prefix, key);
            a.TryGetValue(key, out var left);
            b.TryGetValue(key, out var right);
            if (left is Dictionary<string, object?> l && right is Dictionary<string, object?> r && !path.EndsWith("fbo_cfg", StringComparison.Ordinal))
                differing.AddRange(DifferingKeys(l, r, path));
            else if (!Equal(left, right))
                differing.Add(path);
        }
        return differing;
    }

    private static bool Equal(object? a, object? b) => (a, b) switch
    {
        (Dictionary<string, object?> l, Dictionary<string, object?> r) => l.Count == r.Count && l.All(kv => r.TryGetValue(kv.Key, out var v) && Equal(kv.Value, v)),
        (List<object?> l, List<object?> r) => l.Count == r.Count && l.Zip(r).All(p => Equal(p.First, p.Second)),
        _ => Equals(a, b),
    };
}
