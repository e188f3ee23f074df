using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public class ConfigDocumentTests
{
    private const string Config = """
        model:
          type: Recognizer2D
          cls_head: {num_classes: 400, dropout_ratio: 0.4, spatial_type: avg}
        param_scheduler:
        - {type: MultiStepLR, milestones: [40, 80], by_epoch: true}
        custom_hooks: []
        env_cfg: {}
        load_from: null
        work_dir: 'true'
        """;

    [Fact]
    public void GetAndTryGetFollowKeysAndListIndices()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Config);
        var document = files.Load("c.yaml");

        Assert.Equal(80L, document.Get("param_scheduler.0.milestones.1"));
        Assert.True(document.TryGet("load_from", out var loadFrom));
        Assert.Null(loadFrom);
        Assert.False(document.TryGet("param_scheduler.1", out _));
        Assert.False(document.TryGet("model.cls_head.num_classes.x", out _));
        Assert.Same(document.Root, document.Get(""));
    }

    [Fact]
    public void GetOfAMissingKeyIsAnErrorNamingIt()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Config);

        var error = Assert.Throws<ConfigException>(() => files.Load("c.yaml").Get("model.backbone.depth"));

        Assert.Equal($"{files.Path("c.yaml")}: model.backbone.depth: missing key", error.Message);
    }

    [Fact]
    public void ToYamlPrintsBlockStyleInKeyOrderWithFlowScalarLists()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Config);

        var yaml = files.Load("c.yaml").ToYaml();

        Assert.Equal("""
            model:
              type: Recognizer2D
              cls_head:
                num_classes: 400
                dropout_ratio: 0.4
                spatial_type: avg
            param_scheduler:
            - type: MultiStepLR
              milestones: [40, 80]
              by_epoch: true
            custom_hooks: []
            env_cfg: {}
            load_from: null
            work_dir: "true"

            """.ReplaceLineEndings("\n"), yaml.ReplaceLineEndings("\n"));
    }

    [Fact]
    public void ToYamlReadsBackToTheSameTree()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", """
            strings: ['1', 'null', '', 'a: b', '#x', "{{not_a_ref}}", ' padded', 'multi
              line']
            numbers: [1, -2, 40.0, 1e-4, 1.5e+20, .inf]
            nested: [[1, 2], {a: [], b: {}}]
            """);
        var original = files.Load("c.yaml");

        files.Write("printed.yaml", original.ToYaml());
        var reread = files.Load("printed.yaml");

        Assert.Equal(original.Root, reread.Root);
        Assert.IsType<double>(reread.Get("numbers.2"));
    }

    [Fact]
    public void LoadRejectsUnknownTopLevelKeysWithASuggestion()
    {
        using var files = new TempConfigFiles();
        files.Write("typo.yaml", "optim_wraper: {optimizer: {lr: 0.1}}\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.Path("typo.yaml")));

        Assert.Equal($"{files.Path("typo.yaml")}: optim_wraper: unknown top-level key (did you mean 'optim_wrapper'?)", error.Message);
    }

    [Fact]
    public void UnknownTopLevelKeyFromAnOverrideNamesTheOverride()
    {
        using var files = new TempConfigFiles();
        files.Write("ok.yaml", "log_level: INFO\n");

        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(files.Path("ok.yaml"), ["seed=1"]));

        Assert.Equal("--set seed=1", error.File);
        Assert.Equal("seed", error.KeyPath);
    }

    [Fact]
    public void KeysNoFileDefinedAreAttributedToTheMainFile()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Config);

        var document = files.Load("c.yaml");

        Assert.Equal(files.Path("c.yaml"), document.MainFile);
        Assert.Equal(files.Path("c.yaml"), document.FileOf("no.such.key"));
    }
}
