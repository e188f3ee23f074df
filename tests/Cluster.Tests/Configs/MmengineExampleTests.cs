using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

// The examples of mmengine's tests/test_config/test_config.py (and tests/data/config), written as YAML/JSON.
public class MmengineExampleTests
{
    private static Dictionary<string, object?> Map(params (string Key, object? Value)[] entries) =>
        entries.ToDictionary(e => e.Key, e => e.Value);

    private static List<object?> List(params object?[] items) => [.. items];

    [Fact]
    public void MergeFromBaseReplacesScalarsAndListsAndMergesMappings()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "item1: [1, 2]\nitem2: {a: 0}\nitem3: true\nitem4: test\n");
        files.Write("child.yaml", "_base_: ./base.yaml\nitem1: [2, 3]\nitem2: {a: 1}\nitem3: false\nitem4: test_base\n");

        var root = files.Load("child.yaml").Root;

        Assert.Equal(List(2L, 3L), root["item1"]);
        Assert.Equal(Map(("a", 1L)), root["item2"]);
        Assert.Equal(false, root["item3"]);
        Assert.Equal("test_base", root["item4"]);
    }

    [Fact]
    public void DeleteMarkerReplacesTheBaseMapping()
    {
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "item1: {b: 1}\nitem2: {a: 0}\n");
        files.Write("delete.yaml", "_base_: base.yaml\nitem1: {a: 0, _delete_: true}\nitem2: {b: 0}\n");

        var root = files.Load("delete.yaml").Root;

        Assert.Equal(Map(("a", 0L)), root["item1"]);
        Assert.Equal(Map(("a", 0L), ("b", 0L)), root["item2"]);
    }

    [Fact]
    public void MultipleBasesAreCombinedAcrossFormats()
    {
        using var files = new TempConfigFiles();
        files.Write("base1.yaml", "item1: [1, 2]\nitem2: {a: 0}\n");
        files.Write("json/base3.json", "{\n\t\"item3\": true,\n\t\"item4\": \"test\"\n}\n");
        files.Write("child.yaml", "_base_: [base1.yaml, json/base3.json]\nitem3: false\nitem4: test\nitem_float: 1.0\n");

        var root = files.Load("child.yaml").Root;

        Assert.Equal(["item1", "item2", "item3", "item4", "item_float"], root.Keys);
        Assert.Equal(false, root["item3"]);
        Assert.Equal(1.0, root["item_float"]);
    }

    [Fact]
    public void MergeFromDictOverridesMergeIntoMappings()
    {
        using var files = new TempConfigFiles();
        files.Write("simple.yaml", "item1: [1, 2]\nitem2: {a: 0}\nitem3: true\n");

        var root = files.Load("simple.yaml", "item2.a=1", "item2.b=0.1", "item3=False").Root;

        Assert.Equal(Map(("a", 1L), ("b", 0.1)), root["item2"]);
        Assert.Equal(false, root["item3"]);
    }

    [Fact]
    public void OverridesMayIndexIntoLists()
    {
        using var files = new TempConfigFiles();
        files.Write("merge_dict.yaml", "item: [{a: 0}, {b: 0, c: 0}]\n");

        var root = files.Load("merge_dict.yaml", "item.0.a=1", "item.1.b=1").Root;

        Assert.Equal(List(Map(("a", 1L)), Map(("b", 1L), ("c", 0L))), root["item"]);
    }

    [Fact]
    public void OverrideIndexBeyondTheListIsAnError()
    {
        using var files = new TempConfigFiles();
        files.Write("merge_dict.yaml", "item: [{a: 0}, {b: 0, c: 0}]\n");

        var error = Assert.Throws<ConfigException>(() => files.Load("merge_dict.yaml", "item.2.a=1"));

        Assert.Equal("--set item.2.a=1", error.File);
        Assert.Equal("item.2", error.KeyPath);
        Assert.Contains("out of range for a list of length 2", error.Message);
    }

    [Fact]
    public void BaseVariablesAreDeepCopiesWhereverTheyAppear()
    {
        // After mmengine's json_config/test_base_variables_nested.json: unquoted references in JSON.
        using var files = new TempConfigFiles();
        files.Write("base.yaml", "item1: [1, 2]\nitem2: {a: 0}\nitem5: {a: 7}\nitem7: {a: 0, b: {c: 1}}\n");
        files.Write("child.json", """
            {
                "_base_": ["base.yaml"],
                "item9": {{ _base_.item2 }},
                "item10": {{_base_.item7.b.c}},
                "item15": {
                    "a": {"b": {{ _base_.item2 }}},
                    "d": [[{"e": {{ _base_.item5.a }}}], {{ _base_.item1 }}]
                }
            }
            """);

        var document = files.Load("child.json");
        ((Dictionary<string, object?>)document.Get("item9")!)["a"] = 99L;

        Assert.Equal(Map(("a", 0L)), document.Get("item2"));
        Assert.Equal(1L, document.Get("item10"));
        Assert.Equal(Map(("b", Map(("a", 0L)))), document.Get("item15.a"));
        Assert.Equal(List(List(Map(("e", 7L))), List(1L, 2L)), document.Get("item15.d"));
    }
}
