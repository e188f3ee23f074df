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
        var tensors = ReadFixture($"Fixtures/Models/narrow_resnet{depth}");
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

    private static Dictionary<string, Tensor> ReadFixture(string stem)
    {
        var data = File.ReadAllBytes(stem + ".bin");
        var result = new Dictionary<string, Tensor>();
        var offset = 0;
        foreach (var line in File.ReadAllLines(stem + ".txt"))
        {
            var parts = line.Split(' ');
            var shape = parts.Length > 1 ? parts[1].Split(',').Select(long.Parse).ToArray() : [];
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            Buffer.BlockCopy(data, offset, values, 0, count * sizeof(float));
            offset += count * sizeof(float);
            result[parts[0]] = tensor(values).reshape(shape);
        }
        Assert.Equal(data.Length, offset);
        return result;
    }
}
