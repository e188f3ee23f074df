using Cluster.Tests.Models;
using Cluster.Training.Distributed;
using Cluster.Training.Models;
using Cluster.Training.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;

namespace Cluster.Tests.Distributed;

[Collection(GlobalTorchRandomCollection.Name)]
public class SyncBatchNormConverterTests
{
    [Fact]
    public void SwitchesEveryBatchNormOfABuiltModelAndKeepsItsStateDictNames()
    {
        using var model = ModelBuilder.Build(TinyModels.Tsn(), null);
        var keysBefore = model.state_dict().Keys.ToList();
        var batchNorms = ModuleTree.SelfAndDescendants(model).OfType<StableBatchNorm>().ToList();
        var group = ThreadProcessGroup.Create(2)[0];

        Assert.Equal(batchNorms.Count, SyncBatchNormConverter.Convert(model, group));
        Assert.True(batchNorms.Count >= 20, $"a ResNet-18 has 20 BatchNorms, found {batchNorms.Count}");
        Assert.All(batchNorms, bn => Assert.Same(group, bn.SyncGroup));
        Assert.Equal(keysBefore, model.state_dict().Keys.ToList());

        Assert.Equal(batchNorms.Count, SyncBatchNormConverter.Revert(model));
        Assert.All(batchNorms, bn => Assert.Null(bn.SyncGroup));
    }

    [Fact]
    public void RefusesTorchSharpsOwnBatchNormByName()
    {
        using var model = nn.Sequential(("conv", nn.Conv2d(3, 4, 3)), ("bn", nn.BatchNorm2d(4)));
        var error = Assert.Throws<InvalidOperationException>(() => SyncBatchNormConverter.Convert(model, ThreadProcessGroup.Create(1)[0]));
        Assert.StartsWith("bn: TorchSharp's BatchNorm2d cannot share statistics across ranks", error.Message);
    }

    [Fact]
    public void AConvertedConvNetGivesTheFullBatchGradientsOfItsConvolutions()
    {
        manual_seed(7);
        using var input = randn(6, 3, 8, 8, dtype: ScalarType.Float64);
        using var reference = ConvNet();
        reference.train();
        (reference.forward(input).square().sum()).backward();
        var expected = reference.named_parameters().ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        var state = reference.state_dict();

        const int world = 3;
        var groups = ThreadProcessGroup.Create(world);
        var replicas = new nn.Module<Tensor, Tensor>[world];
        ThreadProcessGroup.RunRanks(world, rank =>
        {
            var replica = replicas[rank] = ConvNet();
            replica.load_state_dict(state);
            replica.train();
            Assert.Equal(2, SyncBatchNormConverter.Convert(replica, groups[rank]));
            using var slice = input.narrow(0, 2 * rank, 2);
            replica.forward(slice).square().sum().backward();
        });

        foreach (var (name, grad) in expected)
        {
            var summed = replicas.Select(r => r.named_parameters().Single(p => p.name == name).parameter.grad!)
                .Aggregate((a, b) => a + b);
            double difference = (summed - grad).abs().max().item<double>();
            double scale = Math.Max(1, grad.abs().max().item<double>());
            Assert.True(difference <= 1e-9 * scale, $"{name}: gradient differs by {difference:E2} (scale {scale:0.#})");
        }
    }

    /// <summary>In float64, so the comparison sees the arithmetic, not float32 summation order.</summary>
    private static nn.Module<Tensor, Tensor> ConvNet() => nn.Sequential(
        ("conv1", nn.Conv2d(3, 4, 3, bias: false)), ("bn1", new BatchNorm2d(4)), ("relu", nn.ReLU()),
        ("conv2", nn.Conv2d(4, 5, 3, bias: false)), ("bn2", new BatchNorm2d(5))).to(ScalarType.Float64);
}
