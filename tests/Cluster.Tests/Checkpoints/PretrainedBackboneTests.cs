using Cluster.Training.Checkpoints;
using Cluster.Training.Models;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using Cluster.Training.Models.Recognizers;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

/// <summary>
/// `pretrained:` and `Pretrained` init_cfg go through the .pth loader: a torchvision checkpoint fills the backbone
/// (its classifier reported as unexpected),.
/// </summary>
public class PretrainedBackboneTests
{
    [Fact]
    public void BackbonePretrainedLoadsATorchvisionCheckpointAndReportsItsClassifier()
    {
        var log = new List<string>();
        var path = CheckpointFixtures.PathOf("resnet18_narrow.pth");
        using var model = ModelBuilder.Build(new Recognizer2DConfig
        {
            Backbone = new ResNetConfig { Depth = 18, BaseChannels = 8, Pretrained = path },
            ClsHead = new TSNHeadConfig { NumClasses = 3, InChannels = 64 },
        }, new CheckpointPretrainedLoader(log.Add));

        using var checkpoint = CheckpointFile.Load(path);
        var loaded = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.True(loaded["backbone.layer3.1.conv2.weight"].allclose(checkpoint.StateDict["layer3.1.conv2.weight"], rtol: 0, atol: 0));
        Assert.True(loaded["backbone.bn1.bias"].allclose(checkpoint.StateDict["bn1.bias"], rtol: 0, atol: 0));
        var summary = Assert.Single(log, line => line.StartsWith($"loaded {path}", StringComparison.Ordinal));
        Assert.Contains("unexpected in the checkpoint 2 (fc.weight, fc.bias)", summary);
        Assert.DoesNotContain("missing", summary);
    }
}
