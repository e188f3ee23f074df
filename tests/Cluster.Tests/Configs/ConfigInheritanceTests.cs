using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public class ConfigInheritanceTests
{
    [Fact]
    public void BasePathsAreRelativeToTheFileThatNamesThem()
    {
        using var files = new TempConfigFiles();
        files.Write("_base_/models/model.yaml", "_base_: ../common.yaml\nmodel: {depth: 50}\n");
        files.Write("_base_/common.yaml", "log_level: INFO\n");
        files.Write("recognition/tsn/child.yaml", "_base_: ../../_base_/models/model.yaml\nmodel: {depth: 18}\n");

        var document = files.Load("recognition/tsn/child.yaml");

        Assert.Equal(18L, document.Get("model.depth"));
        Assert.Equal("INFO", document.Get("log_level"));
    }

    [Fact]
    public void NestedMappingsMergeKeyByKeyAndKeepBaseKeyOrder()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {type: R, head: {num_classes: 400, dropout_ratio: 0.4}}\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {head: {num_classes: 101, extra: 1}}\n");

        var head = (Dictionary<string, object?>)files.Load("child.yaml").Get("model.head")!;

        Assert.Equal(["num_classes", "dropout_ratio", "extra"], head.Keys);
        Assert.Equal(101L, head["num_classes"]);
        Assert.Equal(0.4, head["dropout_ratio"]);
    }

    [Fact]
    public void DeleteMarkerWorksAtAnyDepth()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {backbone: {type: ResNet, depth: 50, norm_eval: false}}\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {backbone: {_delete_: true, type: ResNet3dSlowOnly}}\n");

        Assert.Equal(new Dictionary<string, object?> { ["type"] = "ResNet3dSlowOnly" }, files.Load("child.yaml").Get("model.backbone"));
    }

    [Fact]
    public void DuplicateKeyAmongBasesNamesBothFilesAndTheKey()
    {
        using var files = new TempConfigFiles();
        files.Write("a.yaml", "model: {depth: 50}\n");
        files.Write("b.yaml", "model: {depth: 18}\n");
        files.Write("child.yaml", "_base_: [a.yaml, b.yaml]\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal(files.Path("b.yaml"), error.File);
        Assert.Equal("model", error.KeyPath);
        Assert.Contains("duplicate key among bases", error.Message);
        Assert.Contains(files.Path("a.yaml"), error.Message);
    }

    [Fact]
    public void MergingAMappingIntoANonMappingNamesTheChildFileAndKeyPath()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {backbone: {pretrained: torchvision://resnet50}}\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {backbone: {pretrained: {file: x}}}\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal(files.Path("child.yaml"), error.File);
        Assert.Equal("model.backbone.pretrained", error.KeyPath);
        Assert.Contains("cannot merge a mapping into string 'torchvision://resnet50'", error.Message);
    }

    [Fact]
    public void FilesCannotIndexIntoListsOnlyOverridesCan()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "param_scheduler: [{type: MultiStepLR, gamma: 0.1}]\n");
        files.Write("child.yaml", "_base_: base.yaml\nparam_scheduler: {'0': {gamma: 0.5}}\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal("param_scheduler", error.KeyPath);
        Assert.Contains("cannot merge a mapping into a list", error.Message);
    }

    [Fact]
    public void BaseVariableInsideAStringIsSubstitutedTextually()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "data_root: data/kinetics400\nnum_classes: 400\n");
        files.Write("child.yaml", "_base_: base.yaml\nann_file: '{{_base_.data_root}}/train_{{ _base_.num_classes }}.txt'\n");

        Assert.Equal("data/kinetics400/train_400.txt", files.Load("child.yaml").Get("ann_file"));
    }

    [Fact]
    public void BaseVariableToAMissingKeyIsAnErrorNamingIt()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {depth: 50}\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {width: {{_base_.model.widht}}}\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal(files.Path("child.yaml"), error.File);
        Assert.Equal("model.width", error.KeyPath);
        Assert.Contains("{{_base_.model.widht}}", error.Message);
    }

    [Fact]
    public void BaseVariableHoldingAMappingCannotGoInsideAString()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {depth: 50}\n");
        files.Write("child.yaml", "_base_: base.yaml\nname: 'tsn-{{_base_.model}}'\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal("name", error.KeyPath);
        Assert.Contains("is a mapping and cannot be inserted into a string", error.Message);
    }

    [Fact]
    public void CircularInheritanceShowsTheChain()
    {
        using var files = new TempConfigFiles();
        files.Write("a.yaml", "_base_: b.yaml\nx: 1\n");
        files.Write("b.yaml", "_base_: c.yaml\ny: 1\n");
        files.Write("c.yaml", "_base_: a.yaml\nz: 1\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("a.yaml"));

        var (a, b, c) = (files.Path("a.yaml"), files.Path("b.yaml"), files.Path("c.yaml"));
        Assert.Contains($"circular _base_ inheritance: {a} -> {b} -> {c} -> {a}", error.Message);
    }

    [Fact]
    public void MissingBaseFileNamesTheReferencingFileAndThePath()
    {
        using var files = new TempConfigFiles();
        files.Write("child.yaml", "_base_: ../_base_/nothing.yaml\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("child.yaml"));

        Assert.Equal(files.Path("child.yaml"), error.File);
        Assert.Equal("_base_", error.KeyPath);
        Assert.Contains("base file '../_base_/nothing.yaml' not found", error.Message);
    }

    [Fact]
    public void MissingMainFileIsAnError()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load("no/such/config.yaml"));

        Assert.Equal("no/such/config.yaml: config file not found", error.Message);
    }

    [Fact]
    public void YamlSyntaxErrorNamesFileAndLine()
    {
        using var files = new TempConfigFiles();
        files.Write("broken.yaml", "model:\n  depth: 50\n  head: x: y\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("broken.yaml"));

        Assert.Equal(files.Path("broken.yaml"), error.File);
        Assert.Contains("YAML syntax error at line 3,", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }

    [Fact]
    public void UnclosedFlowSequenceIsASyntaxErrorWithAPosition()
    {
        using var files = new TempConfigFiles();
        files.Write("broken.yaml", "model:\n  depth: 50\n  head: [1, 2\nlog_level: INFO\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("broken.yaml"));

        Assert.Equal(files.Path("broken.yaml"), error.File);
        Assert.Contains("YAML syntax error after line 3,", error.Message);
    }

    [Fact]
    public void DuplicateKeyInOneMappingIsAnError()
    {
        using var files = new TempConfigFiles();
        files.Write("dup.yaml", "model: {depth: 50}\nlog_level: INFO\nmodel: {depth: 18}\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("dup.yaml"));

        Assert.Equal(files.Path("dup.yaml"), error.File);
        Assert.Contains("line 3", error.Message);
    }

    [Fact]
    public void OriginsNameTheFileOrOverrideThatDefinedEachKey()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {depth: 50, head: {num_classes: 400}}\nparam_scheduler: [{milestones: [40, 80]}]\n");
        files.Write("child.yaml", "_base_: base.yaml\nmodel: {head: {num_classes: 101}}\n");

        var document = files.Load("child.yaml", "param_scheduler.0.milestones=[20,40]");

        Assert.Equal(files.Path("base.yaml"), document.FileOf("model.depth"));
        Assert.Equal(files.Path("child.yaml"), document.FileOf("model.head.num_classes"));
        Assert.Equal(files.Path("base.yaml"), document.FileOf("param_scheduler.0.gamma"));
        Assert.Equal("--set param_scheduler.0.milestones=[20,40]", document.FileOf("param_scheduler.0.milestones.1"));
    }
}
