using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public class ConfigOverrideTests
{
    private const string Schedule = """
        optim_wrapper:
          optimizer: {type: SGD, lr: 0.01, momentum: 0.9}
        param_scheduler:
          - {type: MultiStepLR, begin: 0, end: 100, milestones: [40, 80], gamma: 0.1}
        load_from: null
        """;

    [Fact]
    public void ScalarOverrideReplacesANestedValue()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var document = files.Load("c.yaml", "optim_wrapper.optimizer.lr=0.005");

        Assert.Equal(0.005, document.Get("optim_wrapper.optimizer.lr"));
        Assert.Equal(0.9, document.Get("optim_wrapper.optimizer.momentum"));
    }

    [Fact]
    public void FlowSequenceOverrideReplacesAListInsideAListElement()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var document = files.Load("c.yaml", "param_scheduler.0.milestones=[20,40]");

        Assert.Equal(new List<object?> { 20L, 40L }, document.Get("param_scheduler.0.milestones"));
        Assert.Equal(0.1, document.Get("param_scheduler.0.gamma"));
    }

    [Fact]
    public void FlowMappingOverrideMergesAndCanDelete()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var merged = files.Load("c.yaml", "optim_wrapper.optimizer={lr: 0.1, nesterov: true}");
        var replaced = files.Load("c.yaml", "optim_wrapper.optimizer={_delete_: true, type: AdamW, lr: 0.001}");

        Assert.Equal(new Dictionary<string, object?> { ["type"] = "SGD", ["lr"] = 0.1, ["momentum"] = 0.9, ["nesterov"] = true },
            merged.Get("optim_wrapper.optimizer"));
        Assert.Equal(new Dictionary<string, object?> { ["type"] = "AdamW", ["lr"] = 0.001 }, replaced.Get("optim_wrapper.optimizer"));
    }

    [Fact]
    public void OverridesApplyInOrderAndMayAddKeys()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var document = files.Load("c.yaml", "load_from=work_dirs/a/latest.pth", "load_from='null'", "work_dir=runs/x");

        Assert.Equal("null", document.Get("load_from"));
        Assert.Equal("runs/x", document.Get("work_dir"));
    }

    [Fact]
    public void OverrideWithoutEqualsSignIsAnErrorNamingIt()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var error = Assert.Throws<ConfigException>(() => files.Load("c.yaml", "optim_wrapper.optimizer.lr"));

        Assert.Equal("--set optim_wrapper.optimizer.lr: an override must look like key.path=value", error.Message);
    }

    [Fact]
    public void OverrideWithAnEmptyKeySegmentIsAnError()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var error = Assert.Throws<ConfigException>(() => files.Load("c.yaml", "optim_wrapper..lr=1"));

        Assert.Equal("--set optim_wrapper..lr=1", error.File);
    }

    [Fact]
    public void OverrideMergingAMappingIntoAScalarNamesTheOverride()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var error = Assert.Throws<ConfigException>(() => files.Load("c.yaml", "optim_wrapper.optimizer.lr.value=1"));

        Assert.Equal("--set optim_wrapper.optimizer.lr.value=1", error.File);
        Assert.Equal("optim_wrapper.optimizer.lr", error.KeyPath);
    }

    [Fact]
    public void OverrideWithANonIndexKeyOnAListIsAnError()
    {
        using var files = new TempConfigFiles();
        files.Write("c.yaml", Schedule);

        var error = Assert.Throws<ConfigException>(() => files.Load("c.yaml", "param_scheduler.first.gamma=0.5"));

        Assert.Equal("param_scheduler.first", error.KeyPath);
        Assert.Contains("is not a list index", error.Message);
    }
}
