using System.Collections;
using Cluster.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Optim;

public class OptimizerStateTreeTests
{
    [Fact]
    public void SgdMomentumRoundTripsThroughThePyTorchLayout()
    {
        var config = new SgdConfig { Lr = 0.1, Momentum = 0.9, WeightDecay = 0.01 };
        AssertResumedStepMatches(config, tree =>
        {
            var state = (IDictionary)tree["state"]!;
            Assert.True(((IDictionary)state[0L]!).Contains("momentum_buffer"));
            var group = (IDictionary)((IList)tree["param_groups"]!)[0]!;
            Assert.Equal(0.1, group["lr"]);
            Assert.Equal(0.1, group["initial_lr"]);
            Assert.Equal(0.9, group["momentum"]);
            Assert.Equal(new List<object?> { 0L }, group["params"]);
        });
    }

    [Fact]
    public void AdamWMomentsAndStepRoundTripThroughThePyTorchLayout()
    {
        var config = new AdamWConfig { Lr = 0.1, Amsgrad = true };
        AssertResumedStepMatches(config, tree =>
        {
            var entry = (IDictionary)((IDictionary)tree["state"]!)[0L]!;
            Assert.Equal(2f, ((Tensor)entry["step"]!).item<float>());
            Assert.True(entry.Contains("exp_avg") && entry.Contains("exp_avg_sq") && entry.Contains("max_exp_avg_sq"));
            var group = (IDictionary)((IList)tree["param_groups"]!)[0]!;
            Assert.Equal(new List<object?> { 0.9, 0.999 }, group["betas"]);
        });
    }

    /// <summary>Two steps, capture, a third step; a fresh optimizer with other state loads the capture and must take
    /// the identical third step from the same weights.</summary>
    private static void AssertResumedStepMatches(OptimizerConfig config, Action<IDictionary> inspect)
    {
        using var weights = tensor(new float[] { 1, -2, 3 });
        using var original = new Parameter(ones(3));
        using var originalWrapper = OptimWrapper.Create(new OptimWrapperConfig { Optimizer = config }, [original]);
        Step(originalWrapper, original);
        Step(originalWrapper, original);
        var tree = OptimizerStateTree.ToTree(originalWrapper.Optimizer);
        inspect(tree);
        using var before = original.detach().clone();
        var expected = Step(originalWrapper, original);

        using var restored = new Parameter(full(3, 5f));
        using var restoredWrapper = OptimWrapper.Create(new OptimWrapperConfig { Optimizer = config }, [restored]);
        Step(restoredWrapper, restored);
        OptimizerStateTree.LoadTree(restoredWrapper.Optimizer, tree);
        using (no_grad())
        {
            restored.copy_(before);
        }
        Assert.Equal(expected, Step(restoredWrapper, restored));

        float[] Step(OptimWrapper wrapper, Parameter parameter)
        {
            using var loss = (parameter * parameter * weights).sum();
            wrapper.UpdateParams(loss);
            return parameter.data<float>().ToArray();
        }
    }
}
