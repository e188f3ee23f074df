using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public class ConfigBinderTests
{
    private const string Model = """
        model:
          backbone: {type: ResNet, depth: 50, pretrained: null, norm_eval: true, out_indices: [2, 3]}
          cls_head: {type: TSNHead, num_classes: 101, dropout_ratio: 0.5, init_std: 1, average_clips: score, tags: rgb, loss_weights: {cls: 1}, extra: [1, {a: 2}]}
          data_preprocessor: {mean: [123.675, 116.28, 103.53], format_shape: NCHW}
        """;

    private static ConfigDocument Load(TempConfigFiles files, string yaml, params string[] overrides)
    {
        files.Write("c.yaml", yaml);
        return files.Load("c.yaml", overrides);
    }

    [Fact]
    public void BindsNestedAndPolymorphicSections()
    {
        using var files = new TempConfigFiles();

        var model = ConfigBinder.Bind<TestModelSection>(Load(files, Model), "model");

        var backbone = Assert.IsType<TestResNetSection>(model.Backbone);
        Assert.Equal(50, backbone.Depth);
        Assert.Null(backbone.Pretrained);
        Assert.True(backbone.NormEval);
        Assert.Equal([2, 3], backbone.OutIndices);
        var head = model.ClsHead!;
        Assert.Equal(101, head.NumClasses);
        Assert.Equal(0.5f, head.DropoutRatio);
        Assert.Equal(1.0, head.InitStd);
        Assert.Equal(TestClipAveraging.Score, head.AverageClips);
        Assert.Equal(["rgb"], head.Tags);
        Assert.Equal(1.0, head.LossWeights["cls"]);
        Assert.Equal(new List<object?> { 1L, new Dictionary<string, object?> { ["a"] = 2L } }, head.Extra);
        Assert.Equal("NCHW", model.DataPreprocessor["format_shape"]);
    }

    [Fact]
    public void AbsentKeysKeepTheClassDefaults()
    {
        using var files = new TempConfigFiles();

        var model = ConfigBinder.Bind<TestModelSection>(Load(files, "model: {backbone: {type: ResNet3dSlowOnly}}\n"), "model");

        var slowOnly = Assert.IsType<TestSlowOnlySection>(model.Backbone);
        Assert.Equal(50, slowOnly.Depth);
        Assert.Equal([1, 2, 2, 2], slowOnly.SpatialStrides);
        Assert.Null(model.ClsHead);
        Assert.Empty(model.DataPreprocessor);
    }

    [Fact]
    public void RawSubtreesAreCopiesNotViewsOfTheDocument()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, Model);

        var model = ConfigBinder.Bind<TestModelSection>(document, "model");
        ((List<object?>)model.DataPreprocessor["mean"]!)[0] = 0.0;

        Assert.Equal(123.675, document.Get("model.data_preprocessor.mean.0"));
    }

    [Fact]
    public void EnumsAcceptSnakeCaseAndExactNames()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "a: leaky_relu\nb: LeakyRelu\nc: prob\n");

        Assert.Equal(TestClipAveraging.LeakyRelu, ConfigBinder.Bind<TestClipAveraging>(document, "a"));
        Assert.Equal(TestClipAveraging.LeakyRelu, ConfigBinder.Bind<TestClipAveraging>(document, "b"));
        Assert.Equal(TestClipAveraging.Prob, ConfigBinder.Bind<TestClipAveraging>(document, "c"));
    }

    [Fact]
    public void UnknownEnumValueListsTheAllowedOnes()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, depth: 50}, cls_head: {average_clips: mean}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.cls_head.average_clips: expected one of score, prob, leaky_relu, got string 'mean'", error.Message);
    }

    [Fact]
    public void ConfigKeyAttributeOverridesTheSnakeCaseName()
    {
        using var files = new TempConfigFiles();

        var cosine = ConfigBinder.Bind<TestCosineSection>(Load(files, "s: {type: CosineAnnealingLR, T_max: 12, by_epoch: false}\n"), "s");

        Assert.Equal(12, cosine.TMax);
        Assert.False(cosine.ByEpoch);
    }

    [Fact]
    public void UnknownKeySuggestsTheClosestKey()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, dept: 50}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.Equal($"{files.Path("c.yaml")}: model.backbone.dept: unknown key for ResNet (did you mean 'depth'?)", error.Message);
        Assert.Equal("model.backbone.dept", error.KeyPath);
    }

    [Fact]
    public void UnknownKeyFarFromAllKeysListsTheKnownOnes()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "s: {type: CosineAnnealingLR, warmup: 5}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestCosineSection>(document, "s"));

        Assert.EndsWith("s.warmup: unknown key for CosineAnnealingLR (known: T_max, by_epoch)", error.Message);
    }

    [Fact]
    public void WrongTypeSaysWhatWasExpectedAndWhatCame()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, depth: fifty}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.backbone.depth: expected an integer, got string 'fifty'", error.Message);
    }

    [Fact]
    public void FloatWhereAnIntegerIsExpectedIsAnError()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, depth: 50.0}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("expected an integer, got float 50.0", error.Message);
    }

    [Fact]
    public void IntegerOutOfRangeForIntIsAnError()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, depth: 5000000000}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.backbone.depth: integer 5000000000 is out of range for a 32-bit integer", error.Message);
    }

    [Fact]
    public void NullIsAcceptedOnlyWhereTheTypeIsNullable()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "h: {seed: null, extra: null}\nbad: {tags: [a, null]}\n");

        var head = ConfigBinder.Bind<TestHeadSection>(document, "h");
        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestHeadSection>(document, "bad"));

        Assert.Null(head.Seed);
        Assert.EndsWith("bad.tags.1: expected a string, got null", error.Message);
    }

    [Fact]
    public void MissingRequiredKeyIsAnError()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet, norm_eval: true}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.Equal($"{files.Path("c.yaml")}: model.backbone.depth: missing required key for ResNet", error.Message);
    }

    [Fact]
    public void UnknownTypeNameSuggestsAndListsTheKnownTypes()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {type: ResNet3dSlowOnyl}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.backbone.type: unknown type 'ResNet3dSlowOnyl' (did you mean 'ResNet3dSlowOnly'?); " +
                        "known types: ResNet, ResNet3dSlowOnly", error.Message);
    }

    [Fact]
    public void MissingTypeForAnAbstractSectionIsAnError()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: {depth: 50}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.backbone.type: missing required key (known types: ResNet, ResNet3dSlowOnly)", error.Message);
    }

    [Fact]
    public void ConcreteSectionRejectsAnotherTypeName()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "h: {type: I3DHead}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestHeadSection>(document, "h"));

        Assert.EndsWith("h.type: expected type TSNHead, got string 'I3DHead'", error.Message);
    }

    [Fact]
    public void ScalarWhereAMappingIsExpectedIsAnError()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "model: {backbone: ResNet}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(document, "model"));

        Assert.EndsWith("model.backbone: expected a mapping, got string 'ResNet'", error.Message);
    }

    [Fact]
    public void ListsOfPolymorphicSectionsBindElementByElement()
    {
        using var files = new TempConfigFiles();
        var document = Load(files, "backbones: [{type: ResNet, depth: 18}, {type: ResNet3dSlowOnly, spatial_strides: 1}]\n");

        var backbones = ConfigBinder.Bind<List<TestBackboneSection>>(document, "backbones");

        Assert.Equal(18, Assert.IsType<TestResNetSection>(backbones[0]).Depth);
        Assert.Equal([1], Assert.IsType<TestSlowOnlySection>(backbones[1]).SpatialStrides);
    }

    [Fact]
    public void ErrorsNameTheFileThatDefinedTheFaultyValue()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {backbone: {type: ResNet, depth: 50, norm_eval: 1}}\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {backbone: {depth: fifty}}\n");
        var fromChild = files.Load("child.yaml");
        var fromBase = files.Load("child.yaml", "model.backbone.depth=18");
        var fromOverride = files.Load("child.yaml", "model.backbone.depth=x");

        Assert.Equal(files.Path("child.yaml"), Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(fromChild, "model")).File);
        Assert.Equal(files.Path("base.yaml"), Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(fromBase, "model")).File);
        Assert.Equal("--set model.backbone.depth=x", Assert.Throws<ConfigException>(() => ConfigBinder.Bind<TestModelSection>(fromOverride, "model")).File);
    }

    [Theory]
    [InlineData("FrozenStages", "frozen_stages")]
    [InlineData("MaxWHScaleGap", "max_wh_scale_gap")]
    [InlineData("Conv1Kernel", "conv1_kernel")]
    [InlineData("WithPool2", "with_pool2")]
    [InlineData("NCHW", "nchw")]
    [InlineData("Depth", "depth")]
    public void SnakeCaseFollowsMmengineKeyStyle(string name, string key) => Assert.Equal(key, SnakeCase.From(name));
}
