using Cluster.Training.Checkpoints;

namespace Cluster.Tests.Checkpoints;

public class ResNetKeyMappingTests
{
    [Theory]
    [InlineData("conv1.weight", "conv1.conv.weight")]
    [InlineData("bn1.running_mean", "conv1.bn.running_mean")]
    [InlineData("layer1.0.conv2.weight", "layer1.0.conv2.conv.weight")]
    [InlineData("layer3.5.bn3.num_batches_tracked", "layer3.5.conv3.bn.num_batches_tracked")]
    [InlineData("layer2.0.downsample.0.weight", "layer2.0.downsample.conv.weight")]
    [InlineData("layer2.0.downsample.1.bias", "layer2.0.downsample.bn.bias")]
    public void TorchvisionAndMMActionNamesMapBothWays(string torchvision, string mmaction)
    {
        Assert.Equal(mmaction, ResNetKeyMapping.ToMMAction(torchvision));
        Assert.Equal(torchvision, ResNetKeyMapping.ToTorchvision(mmaction));
        Assert.Equal(new[] { mmaction }, ResNetKeyMapping.Alternatives(torchvision));
        Assert.Equal(new[] { torchvision }, ResNetKeyMapping.Alternatives(mmaction));
    }

    [Theory]
    [InlineData("fc.weight")]
    [InlineData("cls_head.fc_cls.bias")]
    [InlineData("layer1.0.downsample.2.weight")]
    public void KeysOutsideTheConvBnNamingAreLeftAlone(string key)
    {
        Assert.Equal(key, ResNetKeyMapping.ToMMAction(key));
        Assert.Equal(key, ResNetKeyMapping.ToTorchvision(key));
        Assert.Empty(ResNetKeyMapping.Alternatives(key));
    }
}
