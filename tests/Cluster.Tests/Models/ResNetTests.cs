using Cluster.Training.Models.Backbones;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;

namespace Cluster.Tests.Models;

public class ResNetTests
{
    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void StateDictKeysAreTorchvisionsWithoutFc(int depth)
    {
        // Written by tests/fixtures-scripts/models_torchvision_resnet_keys.py from torchvision 0.14.
        var expected = File.ReadAllLines($"Fixtures/Models/torchvision_resnet{depth}_keys.txt");
        using var model = new ResNet(new ResNetConfig { Depth = depth, BaseChannels = 4 });
        // TorchSharp lists parameters before buffers, torchvision interleaves them per module: compare as sets.
        Assert.Equal(expected.Order(StringComparer.Ordinal), model.state_dict().Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void BaseChannelsSetEveryStageWidthAndBottleneckExpandsFourTimes()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 50, BaseChannels = 4 });
        var p = TinyModels.Parameters(model);
        Assert.Equal(new long[] { 4, 3, 7, 7 }, p["conv1.weight"].shape);
        Assert.Equal(new long[] { 4, 4, 1, 1 }, p["layer1.0.conv1.weight"].shape);
        Assert.Equal(new long[] { 16, 4, 1, 1 }, p["layer1.0.downsample.0.weight"].shape);
        Assert.Equal(new long[] { 8, 16, 1, 1 }, p["layer2.0.conv1.weight"].shape);
        Assert.Equal(new long[] { 8, 8, 3, 3 }, p["layer2.0.conv2.weight"].shape);
        Assert.Equal(new long[] { 128, 64, 1, 1 }, p["layer4.0.downsample.0.weight"].shape);
        Assert.Equal(128, model.OutChannels);
    }

    [Fact]
    public void OutputIsTheLastStageAtOneThirtySecondResolution()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 8 });
        using var y = model.forward(randn(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, 64, 2, 2 }, y.shape);
    }

    [Fact]
    public void OutIndicesPickAnEarlierStageAndCaffeStyleMovesTheStride()
    {
        using var model = new ResNet(new ResNetConfig
        {
            Depth = 50, BaseChannels = 4, OutIndices = [1], Style = ResNetStyle.Caffe,
        });
        var modules = TinyModels.Modules(model);
        Assert.Equal(new long[] { 2, 2 }, ((Conv2d)modules["layer2.0.conv1"]).stride);
        Assert.Equal(new long[] { 1, 1 }, ((Conv2d)modules["layer2.0.conv2"]).stride);
        using var y = model.forward(randn(1, 3, 64, 64));
        Assert.Equal(new long[] { 1, 32, 8, 8 }, y.shape);
    }

    [Fact]
    public void FrozenStagesStayFrozenAfterTrainAndKeepTheirStatistics()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 4, FrozenStages = 1 });
        model.train();
        var p = TinyModels.Parameters(model);
        Assert.False(p["conv1.weight"].requires_grad);
        Assert.False(p["bn1.weight"].requires_grad);
        Assert.False(p["layer1.1.conv2.weight"].requires_grad);
        Assert.True(p["layer2.0.conv1.weight"].requires_grad);

        var before = Snapshot(model);
        using var loss = model.forward(randn(2, 3, 32, 32)).sum();
        loss.backward();
        var after = model.state_dict();
        Assert.True(Same(after["bn1.running_mean"], before["bn1.running_mean"]));
        Assert.True(Same(after["layer1.0.bn1.running_var"], before["layer1.0.bn1.running_var"]));
        Assert.False(Same(after["layer2.0.bn1.running_mean"], before["layer2.0.bn1.running_mean"]));
        Assert.Null(p["layer1.0.conv1.weight"].grad);
        Assert.NotNull(p["layer2.0.conv1.weight"].grad);
    }

    [Fact]
    public void NormEvalKeepsEveryBatchNormInEvalWhileTraining()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 4, NormEval = true });
        model.train();
        var batchNorms = TinyModels.Modules(model).Values.OfType<BatchNorm2d>().ToList();
        Assert.Equal(1 + 8 * 2 + 3, batchNorms.Count);
        Assert.All(batchNorms, bn => Assert.False(bn.training));
        Assert.True(TinyModels.Modules(model)["layer1.0.conv1"].training);

        var before = Snapshot(model);
        using var output = model.forward(randn(2, 3, 32, 32));
        Assert.All(before.Where(kv => kv.Key.EndsWith("running_mean")),
            kv => Assert.True(Same(model.state_dict()[kv.Key], kv.Value)));
        Assert.True(TinyModels.Parameters(model)["bn1.weight"].requires_grad);
    }

    [Fact]
    public void PartialBnFreezesEveryBatchNormButTheFirst()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 4, PartialBn = true });
        model.train();
        var modules = TinyModels.Modules(model);
        var p = TinyModels.Parameters(model);
        Assert.True(modules["bn1"].training);
        Assert.True(p["bn1.weight"].requires_grad);
        Assert.False(modules["layer1.0.bn1"].training);
        Assert.False(p["layer3.1.bn2.bias"].requires_grad);
        Assert.True(p["layer3.1.conv2.weight"].requires_grad);

        var before = Snapshot(model);
        using var output = model.forward(randn(2, 3, 32, 32));
        var after = model.state_dict();
        Assert.False(Same(after["bn1.running_mean"], before["bn1.running_mean"]));
        Assert.True(Same(after["layer2.0.bn1.running_mean"], before["layer2.0.bn1.running_mean"]));
    }

    [Fact]
    public void EvalAfterTrainStillEvaluatesEverything()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 4, PartialBn = true });
        model.train();
        model.eval();
        Assert.All(TinyModels.Modules(model).Values, m => Assert.False(m.training));
    }

    [Fact]
    public void DefaultInitIsKaimingFanOutConvsAndUnitBatchNorms()
    {
        using var model = new ResNet(new ResNetConfig { Depth = 18, BaseChannels = 16 });
        model.InitWeights(null);
        var p = TinyModels.Parameters(model);
        // layer3 conv2: [64, 64, 3, 3], fan_out = 64·9; Kaiming normal std = sqrt(2 / fan_out).
        var std = p["layer3.0.conv2.weight"].std().item<float>();
        Assert.InRange(std, 0.95 * Math.Sqrt(2.0 / 576), 1.05 * Math.Sqrt(2.0 / 576));
        Assert.True(p["layer2.1.bn2.weight"].eq(1).all().item<bool>());
        Assert.True(p["layer2.1.bn2.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void BadSettingsNameTheirKey()
    {
        var depth = Assert.Throws<ArgumentException>(() => new ResNet(new ResNetConfig { Depth = 20 }));
        Assert.Contains("backbone.depth", depth.Message);
        var outIndices = Assert.Throws<ArgumentException>(() =>
            new ResNet(new ResNetConfig { Depth = 18, OutIndices = [2, 3] }));
        Assert.Contains("backbone.out_indices", outIndices.Message);
        var strides = Assert.Throws<ArgumentException>(() =>
            new ResNet(new ResNetConfig { Depth = 18, Strides = [1, 2] }));
        Assert.Contains("backbone.strides", strides.Message);
    }

    private static bool Same(Tensor a, Tensor b) => a.eq(b).all().item<bool>();

    private static Dictionary<string, Tensor> Snapshot(nn.Module model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
}
