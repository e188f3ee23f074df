using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

// Sanity checks of the config files shipped under configs/ (read from the repository, not copied).
public class ShippedConfigTests
{
    private const string K400 = "recognition/tsn/tsn_r50_imagenet-pretrained_8xb32-1x1x3-100e_kinetics400-rgb.yaml";
    private const string Ucf101 = "recognition/tsn/tsn_r50_finetune_ucf101.yaml";

    private static readonly string ConfigsDir = FindConfigsDir();

    public static TheoryData<string> AllConfigFiles() => new(ConfigFiles());

    public static TheoryData<string> RunnableConfigFiles() => new(ConfigFiles().Where(path => !path.StartsWith("_base_")));

    // Sweep specs (sweep_*.yaml) are configs plus search_space and sweep sections: Sweeps/ShippedSweepSpecTests loads them.
    private static IEnumerable<string> ConfigFiles() => Directory
        .EnumerateFiles(ConfigsDir, "*.*", SearchOption.AllDirectories)
        .Where(path => Path.GetExtension(path) is ".yaml" or ".yml" or ".json")
        .Where(path => !Path.GetFileName(path).StartsWith("sweep_", StringComparison.Ordinal))
        .Select(path => Path.GetRelativePath(ConfigsDir, path))
        .Order();

    private static ConfigDocument Load(string relativePath, params string[] overrides) =>
        ConfigLoader.Load(Path.Combine(ConfigsDir, relativePath), overrides);

    [Theory]
    [MemberData(nameof(AllConfigFiles))]
    public void EveryConfigLoadsAndMerges(string relativePath) => Assert.NotEmpty(Load(relativePath).Root);

    [Theory]
    [MemberData(nameof(RunnableConfigFiles))]
    public void EveryRunnableConfigHasEverySection(string relativePath)
    {
        var root = Load(relativePath).Root;

        string[] sections =
        [
            "model", "train_dataloader", "val_dataloader", "test_dataloader", "train_cfg", "val_cfg", "test_cfg",
            "val_evaluator", "test_evaluator", "optim_wrapper", "param_scheduler", "default_hooks", "custom_hooks",
            "auto_scale_lr", "default_scope", "env_cfg", "log_level", "load_from", "resume", "randomness", "device",
            "work_dir",
        ];
        Assert.All(sections, section => Assert.Contains(section, root.Keys));
    }

    [Fact]
    public void Ucf101FinetuneOverridesExactlyTheRequestedKeys()
    {
        var raw = YamlTreeReader.ReadMapping(File.ReadAllText(Path.Combine(ConfigsDir, Ucf101)), Ucf101);

        Assert.Equal(
        [
            "_base_", "model.cls_head.num_classes",
            "train_dataloader.dataset.ann_file", "train_dataloader.dataset.data_prefix.video",
            "val_dataloader.dataset.ann_file", "val_dataloader.dataset.data_prefix.video",
            "test_dataloader.dataset.ann_file", "test_dataloader.dataset.data_prefix.video",
            "train_cfg.max_epochs", "param_scheduler", "optim_wrapper.optimizer.lr", "load_from",
        ], LeafPaths(raw, ""));
    }

    [Fact]
    public void Ucf101FinetuneIsTheK400ConfigWithOnlyTheFinetuneChanges()
    {
        var expected = Load(K400,
            "model.cls_head.num_classes=101",
            "train_dataloader.dataset.ann_file=data/ucf101/ucf101_train_split_1_videos.txt",
            "train_dataloader.dataset.data_prefix.video=data/ucf101/videos",
            "val_dataloader.dataset.ann_file=data/ucf101/ucf101_val_split_1_videos.txt",
            "val_dataloader.dataset.data_prefix.video=data/ucf101/videos",
            "test_dataloader.dataset.ann_file=data/ucf101/ucf101_val_split_1_videos.txt",
            "test_dataloader.dataset.data_prefix.video=data/ucf101/videos",
            "train_cfg.max_epochs=50",
            "param_scheduler=[{type: MultiStepLR, begin: 0, end: 50, by_epoch: true, milestones: [20, 40], gamma: 0.1}]",
            "optim_wrapper.optimizer.lr=0.005",
            "load_from=checkpoints/tsn_imagenet-pretrained-r50_8xb32-1x1x3-100e_kinetics400-rgb_20220906-cd10898e.pth");

        var finetune = Load(Ucf101);

        Assert.Equal(expected.Root, finetune.Root);
        Assert.Equal(0.9, finetune.Get("optim_wrapper.optimizer.momentum"));
        Assert.Equal(0.0001, finetune.Get("optim_wrapper.optimizer.weight_decay"));
    }

    [Fact]
    public void K400TsnHasMmaction2sRecipe()
    {
        var document = Load(K400);

        Assert.Equal("Recognizer2D", document.Get("model.type"));
        Assert.Equal(Map(("type", "SGD"), ("lr", 0.01), ("momentum", 0.9), ("weight_decay", 0.0001)), document.Get("optim_wrapper.optimizer"));
        Assert.Equal(Map(("max_norm", 40L), ("norm_type", 2L)), document.Get("optim_wrapper.clip_grad"));
        Assert.Equal(Map(("type", "MultiStepLR"), ("begin", 0L), ("end", 100L), ("by_epoch", true), ("milestones", List(40L, 80L)), ("gamma", 0.1)),
            document.Get("param_scheduler.0"));
        Assert.Equal(Map(("type", "EpochBasedTrainLoop"), ("max_epochs", 100L), ("val_begin", 1L), ("val_interval", 1L)), document.Get("train_cfg"));
        Assert.Equal(Map(("type", "CheckpointHook"), ("interval", 3L), ("save_best", "auto"), ("max_keep_ckpts", 3L)), document.Get("default_hooks.checkpoint"));
        Assert.Equal(Map(("enable", false), ("base_batch_size", 256L)), document.Get("auto_scale_lr"));
        Assert.Equal(
            ["DecordInit", "SampleFrames", "DecordDecode", "Resize", "MultiScaleCrop", "Resize", "Flip", "FormatShape", "PackActionInputs"],
            TransformTypes(document, "train_dataloader"));
        Assert.Equal(Map(("type", "MultiScaleCrop"), ("input_size", 224L), ("scales", List(1L, 0.875, 0.75, 0.66)), ("random_crop", false), ("max_wh_scale_gap", 1L)),
            document.Get("train_dataloader.dataset.pipeline.4"));
        Assert.Equal(25L, document.Get("test_dataloader.dataset.pipeline.1.num_clips"));
        Assert.Equal(Map(("type", "TenCrop"), ("crop_size", 224L)), document.Get("test_dataloader.dataset.pipeline.4"));
        Assert.Equal(Map(("type", "CenterCrop"), ("crop_size", 224L)), document.Get("val_dataloader.dataset.pipeline.4"));
    }

    [Fact]
    public void SyntheticFinetuneStartsFromTheSetACheckpointWithFewerClassesEpochsAndLowerLr()
    {
        var setA = Load("demo/tsn_tiny_synth.yaml");
        var setB = Load("demo/tsn_tiny_synth_finetune.yaml");

        Assert.Equal("work_dirs/tsn_tiny_synth/latest.pth", setB.Get("load_from"));
        Assert.Null(setA.Get("load_from"));
        Assert.Equal((8L, 5L), (setA.Get("model.cls_head.num_classes"), setB.Get("model.cls_head.num_classes")));
        Assert.True((double)setB.Get("optim_wrapper.optimizer.lr")! < (double)setA.Get("optim_wrapper.optimizer.lr")!);
        Assert.True((long)setB.Get("train_cfg.max_epochs")! < (long)setA.Get("train_cfg.max_epochs")!);
        Assert.Equal("data/synth_b/videos", setB.Get("val_dataloader.dataset.data_prefix.video"));
        Assert.Equal(TransformTypes(setA, "train_dataloader"), TransformTypes(setB, "train_dataloader"));
    }

    [Theory]
    [InlineData("demo/tsn_tiny_synth.yaml")]
    [InlineData("demo/tsn_tiny_synth_finetune.yaml")]
    [InlineData("demo/tsn_tiny_synth_motion.yaml")]
    [InlineData("demo/slowonly_tiny_synth_motion.yaml")]
    public void TinyHeadsMatchTheirBackboneWidthAndCropsFitTheResizedFrames(string relativePath)
    {
        var document = Load(relativePath);

        var depth = (long)document.Get("model.backbone.depth")!;
        var expansion = depth >= 50 ? 4 : 1;
        Assert.Equal((long)document.Get("model.backbone.base_channels")! * 8 * expansion, document.Get("model.cls_head.in_channels"));
        Assert.Null(document.Get("model.backbone.pretrained"));
        foreach (var loader in new[] { "train_dataloader", "val_dataloader", "test_dataloader" })
        {
            var pipeline = ((List<object?>)document.Get($"{loader}.dataset.pipeline")!).Cast<Dictionary<string, object?>>().ToList();
            var shortSide = pipeline.Where(t => (string)t["type"]! == "Resize").Select(t => (List<object?>)t["scale"]!).First()[1];
            foreach (var crop in pipeline.Where(t => t.ContainsKey("crop_size") || t.ContainsKey("input_size")))
                Assert.True((long)(crop.GetValueOrDefault("crop_size") ?? crop["input_size"])! <= (long)shortSide!, $"{relativePath} {loader}");
        }
    }

    [Theory]
    [InlineData("demo/tsn_tiny_synth_motion.yaml")]
    [InlineData("demo/slowonly_tiny_synth_motion.yaml")]
    public void MotionConfigsNeverMirrorTheVideo(string relativePath)
    {
        var document = Load(relativePath);

        Assert.DoesNotContain("Flip", TransformTypes(document, "train_dataloader"));
        Assert.Equal("data/synth_motion/train_list.txt", document.Get("train_dataloader.dataset.ann_file"));
    }

    private static List<string> TransformTypes(ConfigDocument document, string loader) =>
        ((List<object?>)document.Get($"{loader}.dataset.pipeline")!).Select(t => (string)((Dictionary<string, object?>)t!)["type"]!).ToList();

    private static IEnumerable<string> LeafPaths(Dictionary<string, object?> map, string prefix) =>
        map.SelectMany(kv => kv.Value is Dictionary<string, object?> child
            ? LeafPaths(child, RawTree.JoinPath(prefix, kv.Key))
            : [RawTree.JoinPath(prefix, kv.Key)]);

    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    private static List<object?> List(params object?[] items) => [.. items];

    private static string FindConfigsDir()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Cluster.sln"))) return Path.Combine(dir.FullName, "configs");
        }
        throw new DirectoryNotFoundException($"no Cluster.sln above {AppContext.BaseDirectory}");
    }
}
