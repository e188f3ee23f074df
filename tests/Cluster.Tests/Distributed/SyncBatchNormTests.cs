using Cluster.Training.Distributed;
using Cluster.Training.Models.Layers;
using TorchSharp;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;
using BatchNorm3d = Cluster.Training.Models.Layers.BatchNorm3d;

namespace Cluster.Tests.Distributed;

/// <summary>
/// SyncBatchNorm on each rank's slice of a batch computes what BatchNorm computes on the whole batch: outputs, input
/// gradients, the sum of the ranks' weight and bias gradients (what a gradient all-reduce adds up), and running stats.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public class SyncBatchNormTests
{
    private const double Tolerance = 1e-5;

    [Theory]
    [InlineData(2, new[] { 3, 2 }, false)]
    [InlineData(3, new[] { 2, 1, 3 }, false)]
    [InlineData(2, new[] { 2, 3 }, true)]
    [InlineData(3, new[] { 1, 2, 2 }, true)]
    public void MatchesBatchNormOnTheConcatenatedBatch(int worldSize, int[] slices, bool threeD)
    {
        manual_seed(20261201);
        const int channels = 4;
        long total = slices.Sum();
        long[] shape = threeD ? [total, channels, 3, 4, 5] : [total, channels, 5, 6];
        using var input = randn(shape) * 3 + 2;
        using var outputWeights = randn(shape);
        using var weight = rand(channels) + 0.5;
        using var bias = randn(channels);
        const int steps = 2;

        // Reference: one BatchNorm over the whole batch, two training steps, then eval.
        using var reference = NewBatchNorm(threeD, channels, weight, bias);
        Tensor referenceOutput = null!, referenceGrad = null!;
        for (int step = 0; step < steps; step++)
        {
            reference.zero_grad();
            var x = input.clone().requires_grad_(true);
            referenceOutput = reference.forward(x);
            (referenceOutput * outputWeights).sum().backward();
            referenceGrad = x.grad!.clone();
        }
        reference.eval();
        using var referenceEval = reference.forward(input);

        var groups = ThreadProcessGroup.Create(worldSize);
        var offsets = slices.Select((_, r) => (long)slices.Take(r).Sum()).ToArray();
        var outputs = new Tensor[worldSize];
        var inputGrads = new Tensor[worldSize];
        var evalOutputs = new Tensor[worldSize];
        var layers = new StableBatchNorm[worldSize];
        ThreadProcessGroup.RunRanks(worldSize, rank =>
        {
            var layer = layers[rank] = NewBatchNorm(threeD, channels, weight, bias);
            layer.SyncGroup = groups[rank];
            using var slice = input.narrow(0, offsets[rank], slices[rank]);
            using var sliceWeights = outputWeights.narrow(0, offsets[rank], slices[rank]);
            for (int step = 0; step < steps; step++)
            {
                layer.zero_grad();
                var x = slice.clone().requires_grad_(true);
                outputs[rank] = layer.forward(x);
                (outputs[rank] * sliceWeights).sum().backward();
                inputGrads[rank] = x.grad!.clone();
            }
            layer.eval();
            evalOutputs[rank] = layer.forward(slice);
        });

        for (int rank = 0; rank < worldSize; rank++)
        {
            var slice = (Tensor t) => t.narrow(0, offsets[rank], slices[rank]);
            AssertClose(slice(referenceOutput), outputs[rank], $"rank {rank} output");
            AssertClose(slice(referenceGrad), inputGrads[rank], $"rank {rank} input gradient");
            AssertClose(reference.running_mean!, layers[rank].running_mean!, $"rank {rank} running_mean");
            AssertClose(reference.running_var!, layers[rank].running_var!, $"rank {rank} running_var");
            Assert.Equal(steps, layers[rank].num_batches_tracked!.item<long>());
            AssertClose(slice(referenceEval), evalOutputs[rank], $"rank {rank} eval output");
        }
        AssertClose(reference.weight!.grad!, layers.Select(l => l.weight!.grad!).Aggregate((a, b) => a + b), "weight gradient");
        AssertClose(reference.bias!.grad!, layers.Select(l => l.bias!.grad!).Aggregate((a, b) => a + b), "bias gradient");
        Assert.All(groups, g => Assert.Equal(2 * steps, g.Calls)); // one all-reduce forward, one backward, per step
    }

    [Fact]
    public void ADeadPeerDuringBackwardSurfacesAsAGroupFaultInsteadOfEndingTheProcess()
    {
        var groups = ThreadProcessGroup.Create(2);
        var failures = new Exception?[2];
        var grads = new Tensor[2];
        ThreadProcessGroup.RunRanks(2, rank =>
        {
            groups[rank].BeforeCall = call =>
            {
                if (call == 2) throw new GroupFaultException($"rank {rank}: peer gone");
            };
            using var layer = new BatchNorm2d(3) { SyncGroup = groups[rank] };
            var x = (arange(2 * 3 * 4 * 4, dtype: ScalarType.Float32).reshape(2, 3, 4, 4) * (rank + 1)).requires_grad_(true);
            layer.forward(x).sum().backward();
            grads[rank] = x.grad!;
            failures[rank] = Record.Exception(() => SyncBatchNorm.ThrowIfBackwardFailed(groups[rank]));
            Assert.Throws<GroupFaultException>(() => layer.forward(x));
        });

        for (int rank = 0; rank < 2; rank++)
        {
            Assert.Equal($"rank {rank}: peer gone", Assert.IsType<GroupFaultException>(failures[rank]).Message);
            Assert.True(grads[rank].isnan().all().item<bool>(), "a failed backward leaves NaN input gradients");
        }
    }

    [Fact]
    public void ASingleRankGroupIsPlainBatchNormWithoutCollectives()
    {
        var group = ThreadProcessGroup.Create(1)[0];
        using var synced = new BatchNorm2d(3) { SyncGroup = group };
        using var plain = new BatchNorm2d(3);
        using var input = arange(4 * 3 * 2 * 2, dtype: ScalarType.Float32).reshape(4, 3, 2, 2).sin();

        AssertClose(plain.forward(input), synced.forward(input), "training output");
        Assert.Equal(0, group.Calls);
    }

    private static StableBatchNorm NewBatchNorm(bool threeD, int channels, Tensor weight, Tensor bias)
    {
        StableBatchNorm layer = threeD ? new BatchNorm3d(channels) : new BatchNorm2d(channels);
        using (no_grad())
        {
            layer.weight!.copy_(weight);
            layer.bias!.copy_(bias);
        }
        return layer;
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        double difference = (expected - actual).abs().max().item<float>();
        double scale = Math.Max(1.0, expected.abs().max().item<float>());
        Assert.True(difference <= Tolerance * scale, $"{what}: max difference {difference:E2} (scale {scale:0.##})");
    }
}
