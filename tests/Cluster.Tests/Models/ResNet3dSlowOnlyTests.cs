using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

public class ResNet3dSlowOnlyTests
{
    [Fact]
    public void ParametersUseConvModuleNamesAndInflateOnlyTheLastTwoStages()
    {
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig { Depth = 50, BaseChannels = 4 });
        var p = TinyModels.Parameters(model);
        var buffers = model.state_dict();
        Assert.Equal(new long[] { 4, 3, 1, 7, 7 }, p["conv1.conv.weight"].shape);
        Assert.Contains("conv1.bn.weight", p.Keys);
        Assert.Equal(new long[] { 4, 4, 1, 1, 1 }, p["layer1.0.conv1.conv.weight"].shape);
        Assert.Equal(new long[] { 4, 4, 1, 3, 3 }, p["layer1.0.conv2.conv.weight"].shape);
        Assert.Equal(new long[] { 16, 4, 1, 1, 1 }, p["layer1.0.downsample.conv.weight"].shape);
        Assert.Contains("layer1.0.downsample.bn.running_mean", buffers.Keys);
        Assert.Equal(new long[] { 8, 16, 1, 1, 1 }, p["layer2.0.conv1.conv.weight"].shape);
        Assert.Equal(new long[] { 16, 32, 3, 1, 1 }, p["layer3.0.conv1.conv.weight"].shape);
        Assert.Equal(new long[] { 16, 16, 1, 3, 3 }, p["layer3.0.conv2.conv.weight"].shape);
        Assert.Equal(new long[] { 32, 128, 3, 1, 1 }, p["layer4.2.conv1.conv.weight"].shape);
        Assert.Equal(new long[] { 1, 0, 0 }, ((Conv3d)TinyModels.Modules(model)["layer3.0.conv1.conv"]).padding);
        Assert.DoesNotContain(p.Keys, k => k.StartsWith("fc"));
    }

    [Fact]
    public void KeepsTimeAndDownsamplesSpaceThirtyTwoTimes()
    {
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig { Depth = 50, BaseChannels = 4 });
        using var y = model.forward(randn([2, 3, 4, 32, 32]));
        Assert.Equal(new long[] { 2, 128, 4, 1, 1 }, y.shape);
        Assert.Equal(128, model.OutChannels);
    }

    [Fact]
    public void BasicBlockDepthsBuild()
    {
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig { Depth = 18, BaseChannels = 4 });
        var p = TinyModels.Parameters(model);
        Assert.Equal(new long[] { 16, 16, 3, 3, 3 }, p["layer3.1.conv2.conv.weight"].shape);
        Assert.Equal(new long[] { 4, 4, 1, 3, 3 }, p["layer1.0.conv1.conv.weight"].shape);
        using var y = model.forward(randn([1, 3, 2, 32, 32]));
        Assert.Equal(new long[] { 1, 32, 2, 1, 1 }, y.shape);
    }

    [Fact]
    public void ScratchInitZeroesTheLastNormOfEveryResidualBlock()
    {
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig { Depth = 50, BaseChannels = 4 });
        model.InitWeights(null);
        var p = TinyModels.Parameters(model);
        Assert.True(p["layer1.0.conv3.bn.weight"].eq(0).all().item<bool>());
        Assert.True(p["layer4.2.conv3.bn.weight"].eq(0).all().item<bool>());
        Assert.True(p["layer1.0.conv2.bn.weight"].eq(1).all().item<bool>());
        Assert.True(p["layer1.0.downsample.bn.weight"].eq(1).all().item<bool>());
    }

    [Fact]
    public void FrozenStagesAndNormEvalSurviveTrain()
    {
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig
        {
            Depth = 18, BaseChannels = 4, FrozenStages = 2, NormEval = true,
        });
        model.train();
        var p = TinyModels.Parameters(model);
        Assert.False(p["conv1.conv.weight"].requires_grad);
        Assert.False(p["layer2.1.conv2.bn.weight"].requires_grad);
        Assert.True(p["layer3.0.conv1.conv.weight"].requires_grad);
        Assert.All(TinyModels.Modules(model).Values.OfType<BatchNorm3d>(), bn => Assert.False(bn.training));
        Assert.True(TinyModels.Modules(model)["layer3.0.conv1.conv"].training);
    }

    [Fact]
    public void Pretrained2dInflatesConvKernelsOverTimeAndCopiesNorms()
    {
        var loader = new SeededResNetLoader();
        using var model = new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig
        {
            Depth = 50, BaseChannels = 4, Pretrained = "r50.pth",
        });
        model.InitWeights(loader);

        var source = loader.Loaded!;
        var p = TinyModels.Parameters(model);
        var inflated = p["layer3.0.conv1.conv.weight"];
        for (var t = 0; t < 3; t++)
            Assert.True(inflated[.., .., t].allclose(source["layer3.0.conv1.weight"] / 3));
        Assert.True(p["conv1.conv.weight"][.., .., 0].allclose(source["conv1.weight"]));
        Assert.True(p["layer2.0.downsample.conv.weight"][.., .., 0].allclose(source["layer2.0.downsample.0.weight"]));
        Assert.True(p["layer2.0.conv3.bn.weight"].allclose(source["layer2.0.bn3.weight"]));
        Assert.True(model.state_dict()["conv1.bn.running_var"].allclose(source["bn1.running_var"]));
    }

    [Fact]
    public void LateralConnectionsAreRejected()
    {
        var error = Assert.Throws<ArgumentException>(() =>
            new ResNet3dSlowOnly(new ResNet3dSlowOnlyConfig { Depth = 50, Lateral = true }));
        Assert.Contains("backbone.lateral", error.Message);
    }

    /// <summary>Stands in for the .pth loader: fills the 2D target with random values and remembers them.</summary>
    private sealed class SeededResNetLoader : IPretrainedLoader
    {
        public Dictionary<string, Tensor>? Loaded { get; private set; }

        public void Load(nn.Module target, string checkpoint, string? prefix)
        {
            Assert.IsType<ResNet>(target);
            using (no_grad())
                foreach (var (_, tensor) in target.state_dict())
                    if (tensor.is_floating_point()) tensor.copy_(rand_like(tensor) + 0.5);
            Loaded = target.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        }
    }
}
