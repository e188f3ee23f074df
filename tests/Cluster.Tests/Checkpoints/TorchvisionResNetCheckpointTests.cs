using Cluster.Training.Checkpoints;
using Cluster.Training.Models.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

/// <summary>
/// State dicts written by real torchvision ResNets (tests/fixtures-scripts/make_checkpoint_fixtures.py, stage widths
/// 8·(1,2,4,8)) load into our backbone through the .pth reader and give PyTorch's eval-mode outputs.
/// </summary>
public class TorchvisionResNetCheckpointTests
{
    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void TorchvisionStateDictLoadsAndReproducesPyTorchOutputs(int depth)
    {
        using var scope = NewDisposeScope();
        using var checkpoint = CheckpointFile.Load(CheckpointFixtures.PathOf($"resnet{depth}_narrow.pth"));
        using var io = CheckpointFile.Load(CheckpointFixtures.PathOf($"resnet{depth}_narrow_io.pth"));
        var backbone = new ResNet(new ResNetConfig { Depth = depth, BaseChannels = 8 });

        var report = StateDictLoader.Load(backbone, checkpoint);

        // The backbone has no ImageNet classifier (as in MMAction2): torchvision's fc is the only thing left over.
        Assert.Empty(report.Missing);
        Assert.Empty(report.ShapeMismatched);
        Assert.Equal(["fc.bias", "fc.weight"], report.Unexpected.Order());

        backbone.eval();
        using var noGrad = no_grad();
        var features = backbone.forward(io.StateDict["input"]);
        AssertClose(io.StateDict["features"], features);

        var pooled = features.mean([2, 3]);
        var logits = nn.functional.linear(pooled, checkpoint.StateDict["fc.weight"], checkpoint.StateDict["fc.bias"]);
        AssertClose(io.StateDict["logits"], logits);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var maxDifference = (expected - actual).abs().max().item<float>();
        Assert.True(maxDifference <= 1e-4f, $"max |PyTorch - ours| = {maxDifference}");
    }
}
