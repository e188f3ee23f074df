using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

// Each malformed input gives a one-line ConfigException naming the file (and key path where there is one).
public class MalformedConfigTests
{
    private static ConfigException LoadFails(string yaml, params string[] overrides)
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "model: {depth: 50}\n");
        files.Write("bad.yaml", yaml);
        var error = Assert.Throws<ConfigException>(() => files.Load("bad.yaml", overrides));
        Assert.DoesNotContain('\n', error.Message);
        Assert.EndsWith(overrides.Length > 0 ? $"--set {overrides[^1]}" : files.Path("bad.yaml"), error.File);
        return error;
    }

    [Fact]
    public void DeleteMarkerMustBeABoolean()
    {
        var error = LoadFails("_base_: base.yaml\nmodel: {_delete_: yes, depth: 18}\n");

        Assert.Equal("model._delete_", error.KeyPath);
        Assert.Contains("must be true or false, got string 'yes'", error.Message);
    }

    [Fact]
    public void BaseMustBeAPathOrAListOfPaths()
    {
        var error = LoadFails("_base_: {path: base.yaml}\n");

        Assert.Equal("_base_", error.KeyPath);
        Assert.Contains("must be a path or a list of paths, got a mapping", error.Message);
    }

    [Fact]
    public void SeveralYamlDocumentsInOneFileAreAnError() =>
        Assert.Contains("expected one YAML document, found 2", LoadFails("a: 1\n---\nb: 2\n").Message);

    [Fact]
    public void ExplicitTagThatDoesNotFitItsValueIsAnError() =>
        Assert.Contains("line 1: 'ten' is not a valid integer", LoadFails("depth: !!int ten\n").Message);

    [Fact]
    public void NonScalarMappingKeyIsAnError() =>
        Assert.Contains("line 1: mapping keys must be non-empty scalars", LoadFails("? [a, b]\n: 1\n").Message);

    [Fact]
    public void MergeKeyMustNameMappings() =>
        Assert.Contains("line 2: '<<' must merge a mapping or a list of mappings", LoadFails("x: &x [1]\ny: {<<: *x}\n").Message);

    [Fact]
    public void UnparsableOverrideValueIsAnErrorNamingTheOverride() =>
        Assert.Contains("cannot parse value '[20, 40'", LoadFails("a: 1\n", "a=[20, 40").Message);
}
