using Cluster.Training.Distributed;
using Cluster.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed;

/// <summary>Where OptimWrapper averages gradients: before clipping and the step, only on iterations that step.</summary>
public class GradientAveragingTests
{
    /// <summary>Stands in for the other ranks: "their" gradients are 3× ours, so the mean is 2× ours.</summary>
    private sealed class DoublingGroup : IProcessGroup
    {
        public int Calls { get; private set; }
        public int Rank => 0;
        public int WorldSize => 2;
        public string Describe => "doubling";

        public void AllReduceMean(IReadOnlyList<Tensor> tensors)
        {
            Calls++;
            using var noGrad = torch.no_grad();
            foreach (var tensor in tensors) tensor.mul_(2);
        }

        public void AllReduceSum(IReadOnlyList<Tensor> tensors) => throw new NotSupportedException();
        public byte[][] AllGather(byte[] local) => throw new NotSupportedException();
        public void Dispose() { }
    }

    [Fact]
    public void Gradients_are_averaged_once_per_step_not_on_accumulating_iterations()
    {
        using var parameter = new Parameter(zeros(1));
        var group = new DoublingGroup();
        using var wrapper = OptimWrapper.Create(new OptimWrapperConfig { Optimizer = new SgdConfig { Lr = 1 }, AccumulativeCounts = 2 }, [parameter], group);
        wrapper.InitializeCountStatus(0, maxCounts: 4);
        var calls = new List<int>();
        for (int i = 0; i < 4; i++)
        {
            using var loss = parameter.sum();
            wrapper.UpdateParams(loss);
            calls.Add(group.Calls);
        }
        Assert.Equal([0, 1, 1, 2], calls);
        // Each group accumulates 2 × ½ = 1, doubled by the "mean": two steps of 2.
        Assert.Equal(-4f, parameter.item<float>());
    }

    [Fact]
    public void Clipping_sees_the_averaged_gradients()
    {
        using var parameter = new Parameter(zeros(2));
        using var wrapper = OptimWrapper.Create(new OptimWrapperConfig
        {
            Optimizer = new SgdConfig { Lr = 1 },
            ClipGrad = new ClipGradConfig { MaxNorm = 100 },
        }, [parameter], new DoublingGroup());
        using var weights = tensor(new float[] { 3, 4 });
        using var loss = (parameter * weights).sum();
        Assert.Equal(10.0, wrapper.UpdateParams(loss)!.Value, 5);
        Assert.Equal([-6f, -8f], parameter.data<float>().ToArray());
    }
}
