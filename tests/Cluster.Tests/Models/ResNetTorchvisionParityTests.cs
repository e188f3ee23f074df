using Cluster.Training.Models.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

/// <summary>Same weights, same input: our ResNet must reproduce torchvision's features (eval mode).</summary>
public class ResNetTorchvisionParityTests
{
    [Theory]
    [InlineData(18)]
    [InlineData(50)]
    public void FeaturesMatchANarrowTorchvisionResNet(int depth)
    {
        // Written by tests/fixtures-scripts/models_narrow_resnet_outputs.py with torchvision 0.14.
        var tensors = TensorFixtures.Read($"Fixtures/Models/narrow_resnet{depth}");
        using var model = new ResNet(new ResNetConfig { Depth = depth, BaseChannels = 4 });
        var state = model.state_dict();
        using (no_grad())
            foreach (var (name, value) in tensors.Where(t => t.Key is not ("input" or "output")))
                state[name].copy_(value);
        model.eval();

        using var output = model.forward(tensors["input"]);
        Assert.Equal(tensors["output"].shape, output.shape);
        Assert.True(output.allclose(tensors["output"], rtol: 1e-4, atol: 1e-4),
            $"max abs difference {(output - tensors["output"]).abs().max().item<float>()}");
    }
}
