using Cluster.Training.Checkpoints;
using static Cluster.Tests.Checkpoints.CheckpointFixtures;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

public class StateDictLoaderTests
{
    [Fact]
    public void MMActionBackboneLoadsIntoTorchvisionNamesUnderPrefix()
    {
        using var checkpoint = CheckpointFile.Load(PathOf("mmaction_style.pth"));
        using var backbone = new TinyTorchvisionBackbone();

        var report = StateDictLoader.Load(backbone, checkpoint, new LoadOptions { Prefix = "backbone", Strict = true });

        Assert.Equal(24, report.Loaded.Count);
        Assert.Equal(24, report.Renamed.Count);
        Assert.True(report.IsExactMatch);
        Assert.Contains(new KeyRename("layer1.0.downsample.bn.running_var", "layer1.0.downsample.1.running_var"), report.Renamed);
        var parameters = backbone.state_dict();
        Assert.True(SameValues(parameters["bn1.running_mean"], checkpoint.StateDict["backbone.conv1.bn.running_mean"]));
        Assert.True(SameValues(parameters["layer1.0.conv2.weight"], checkpoint.StateDict["backbone.layer1.0.conv2.conv.weight"]));
        Assert.True(SameValues(parameters["layer1.0.downsample.0.weight"], checkpoint.StateDict["backbone.layer1.0.downsample.conv.weight"]));
    }

    [Fact]
    public void TorchvisionNamesLoadIntoMMActionNamesAndClassifierMismatchIsSkipped()
    {
        using var module = new TinyMMActionNet(classes: 3);
        using var stemWeight = randn(4, 3, 3, 3);
        using var bnBias = randn(4);
        using var imagenetFc = randn(1000, 4);
        using var fcBefore = module.state_dict()["fc.weight"].clone();
        var warnings = new List<string>();
        var stateDict = new Dictionary<string, Tensor> { ["conv1.weight"] = stemWeight, ["bn1.bias"] = bnBias, ["fc.weight"] = imagenetFc };

        var report = StateDictLoader.Load(module, stateDict, new LoadOptions { Warn = warnings.Add });

        Assert.Equal(new[] { "conv1.conv.weight", "conv1.bn.bias" }, report.Loaded);
        Assert.Equal(new[] { "conv1.bn.weight", "conv1.bn.running_mean", "conv1.bn.running_var", "conv1.bn.num_batches_tracked", "fc.bias" }, report.Missing);
        Assert.Empty(report.Unexpected);
        var mismatch = Assert.Single(report.ShapeMismatched);
        Assert.Equal("fc.weight", mismatch.Key);
        Assert.Equal(new long[] { 1000, 4 }, mismatch.CheckpointShape);
        Assert.Equal(new long[] { 3, 4 }, mismatch.ModelShape);
        Assert.Contains("fc.weight", Assert.Single(warnings));
        Assert.True(SameValues(module.state_dict()["conv1.conv.weight"], stemWeight));
        Assert.True(SameValues(module.state_dict()["fc.weight"], fcBefore));
        Assert.Contains("Loaded 2 of 8 module tensors (2 through MMAction2/torchvision key mapping)", report.Summary);
        Assert.Contains("skipped for shape mismatch 1 (fc.weight (checkpoint [1000, 4], model [3, 4]))", report.Summary);
    }

    [Fact]
    public void ClassifierOfATorchvisionCheckpointIsUnexpectedForABackbone()
    {
        using var source = new TinyTorchvisionBackbone();
        var stateDict = StateDicts.FromModule(source);
        stateDict["fc.weight"] = zeros(10, 6);
        stateDict["fc.bias"] = zeros(10);
        using var backbone = new TinyTorchvisionBackbone();

        var report = StateDictLoader.Load(backbone, stateDict);

        Assert.Equal(new[] { "fc.weight", "fc.bias" }, report.Unexpected);
        Assert.Empty(report.Missing);
        Assert.Empty(report.Renamed);
        Assert.Contains("unexpected in the checkpoint 2 (fc.weight, fc.bias)", report.Summary);
        CheckpointTree.DisposeTensors(stateDict);
    }

    [Fact]
    public void StrictLoadNamesTheProblemsAndLeavesTheModuleUnchanged()
    {
        using var module = new TinyMMActionNet(classes: 3);
        using var before = module.state_dict()["conv1.conv.weight"].clone();
        using var stemWeight = randn(4, 3, 3, 3);
        using var stray = zeros(1);
        var stateDict = new Dictionary<string, Tensor> { ["conv1.weight"] = stemWeight, ["head.extra"] = stray };

        var error = Assert.Throws<StateDictMismatchException>(() =>
            StateDictLoader.Load(module, stateDict, new LoadOptions { Strict = true }));

        Assert.Contains("missing keys 7 (conv1.bn.weight, conv1.bn.bias, conv1.bn.running_mean, conv1.bn.running_var, conv1.bn.num_batches_tracked, and 2 more)", error.Message);
        Assert.Contains("unexpected keys 1 (head.extra)", error.Message);
        Assert.Equal(7, error.Report.Missing.Count);
        Assert.StartsWith("Strict load of state_dict into TinyMMActionNet failed: ", error.Message);
        Assert.True(SameValues(module.state_dict()["conv1.conv.weight"], before));
    }

    [Fact]
    public void WithoutKeyMappingOtherNamingIsMissingAndUnexpected()
    {
        using var module = new TinyMMActionNet(classes: 3);
        using var stemWeight = randn(4, 3, 3, 3);

        var report = StateDictLoader.Load(module, new Dictionary<string, Tensor> { ["conv1.weight"] = stemWeight }, new LoadOptions { MapKeys = false });

        Assert.Empty(report.Loaded);
        Assert.Equal(new[] { "conv1.weight" }, report.Unexpected);
    }

    [Fact]
    public void HalfPrecisionCheckpointIsConvertedIntoFloatParameters()
    {
        using var module = new TinyMMActionNet(classes: 2);
        using var weight = tensor(new[] { 0.5f, -2f, 0.25f, 1f, 3f, -0.75f, 8f, 0.125f }).reshape(2, 4);
        using var half = weight.to(ScalarType.Float16);
        using var bfloat = tensor(new[] { 1.5f, -4f }).to(ScalarType.BFloat16);

        StateDictLoader.Load(module, new Dictionary<string, Tensor> { ["fc.weight"] = half, ["fc.bias"] = bfloat });

        var parameters = module.state_dict();
        Assert.Equal(ScalarType.Float32, parameters["fc.weight"].dtype);
        Assert.True(SameValues(parameters["fc.weight"], weight));
        Assert.Equal(new[] { 1.5, -4.0 }, Doubles(parameters["fc.bias"]));
    }

    [Fact]
    public void FromModuleTakesDetachedCopiesInPyTorchOrder()
    {
        using var module = new TinyMMActionNet(classes: 2);
        var stateDict = StateDicts.FromModule(module);

        Assert.Equal(new[]
        {
            "conv1.conv.weight", "conv1.bn.weight", "conv1.bn.bias", "conv1.bn.running_mean", "conv1.bn.running_var",
            "conv1.bn.num_batches_tracked", "fc.weight", "fc.bias",
        }, stateDict.Keys);
        Assert.All(stateDict.Values, tensor => Assert.False(tensor.requires_grad));
        using (no_grad())
        {
            module.state_dict()["fc.bias"].fill_(7f);
        }
        Assert.NotEqual(7.0, Doubles(stateDict["fc.bias"])[0]);
        CheckpointTree.DisposeTensors(stateDict);
    }
}
