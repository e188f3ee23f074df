using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public class YamlReadingTests
{
    [Fact]
    public void ScalarsResolveWithTheYaml12CoreSchema()
    {
        using var files = new TempConfigFiles();
        files.Write("s.yaml", """
            int: 40
            negative: -1
            float: 0.01
            exponent: 1e-4
            quoted_number: '1'
            boolean: true
            yes_is_a_string: yes
            tilde: ~
            empty:
            null_word: null
            inf: .inf
            tagged: !!str 3
            text: torchvision://resnet50
            """);

        var root = files.Load("s.yaml").Root;

        Assert.Equal(40L, root["int"]);
        Assert.Equal(-1L, root["negative"]);
        Assert.Equal(0.01, root["float"]);
        Assert.Equal(1e-4, root["exponent"]);
        Assert.Equal("1", root["quoted_number"]);
        Assert.Equal(true, root["boolean"]);
        Assert.Equal("yes", root["yes_is_a_string"]);
        Assert.Null(root["tilde"]);
        Assert.Null(root["empty"]);
        Assert.Null(root["null_word"]);
        Assert.Equal(double.PositiveInfinity, root["inf"]);
        Assert.Equal("3", root["tagged"]);
        Assert.Equal("torchvision://resnet50", root["text"]);
    }

    [Fact]
    public void AnchorsAliasesAndMergeKeysAreResolvedIntoIndependentCopies()
    {
        using var files = new TempConfigFiles();
        files.Write("a.yaml", """
            train: {pipeline: &pipeline [{type: SampleFrames, num_clips: 3}, {type: FormatShape}]}
            val: {pipeline: *pipeline}
            base_opt: &opt {type: SGD, lr: 0.01}
            opt: {<<: *opt, lr: 0.1}
            """);

        var document = files.Load("a.yaml");
        ((Dictionary<string, object?>)document.Get("val.pipeline.0")!)["num_clips"] = 25L;

        Assert.Equal(3L, document.Get("train.pipeline.0.num_clips"));
        Assert.Equal(new Dictionary<string, object?> { ["type"] = "SGD", ["lr"] = 0.1 }, document.Get("opt"));
    }

    [Fact]
    public void TopLevelMustBeAMapping()
    {
        using var files = new TempConfigFiles();
        files.Write("list.yaml", "- 1\n- 2\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("list.yaml"));

        Assert.Contains("the top level must be a mapping", error.Message);
    }

    [Fact]
    public void EmptyFileIsAnEmptyConfig()
    {
        using var files = new TempConfigFiles();
        files.Write("empty.yaml", "# nothing yet\n");

        Assert.Empty(files.Load("empty.yaml").Root);
    }

    [Fact]
    public void UnsupportedExtensionIsAnError()
    {
        using var files = new TempConfigFiles();
        files.Write("model.py", "model = dict()\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("model.py"));

        Assert.Contains("unsupported config file type", error.Message);
    }
}
