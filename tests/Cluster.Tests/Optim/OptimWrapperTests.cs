using Cluster.Training.Optim;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Optim;

public class OptimWrapperTests
{
    [Fact]
    public void AccumulationStepsEveryKIterationsAndScalesTheLastIncompleteGroupByItsSize()
    {
        using var parameter = new Parameter(zeros(1));
        using var wrapper = OptimWrapper.Create(new OptimWrapperConfig
        {
            Optimizer = new SgdConfig { Lr = 1 },
            AccumulativeCounts = 2,
        }, [parameter]);
        wrapper.InitializeCountStatus(0, maxCounts: 5);
        var values = new List<float>();
        for (int i = 0; i < 5; i++)
        {
            using var loss = parameter.sum(); // gradient 1 per iteration before scaling
            wrapper.UpdateParams(loss);
            values.Add(parameter.item<float>());
        }
        // Groups {1,2} and {3,4} each add 2 × ½; the lone 5th iteration is scaled by 1/1, not ½, and steps at the end.
        Assert.Equal([0f, -1f, -1f, -2f, -3f], values);
    }

    [Fact]
    public void ClipGradScalesTheTotalNormToMaxNormAndReportsTheNormBefore()
    {
        using var parameter = new Parameter(zeros(2));
        using var wrapper = OptimWrapper.Create(new OptimWrapperConfig
        {
            Optimizer = new SgdConfig { Lr = 1 },
            ClipGrad = new ClipGradConfig { MaxNorm = 1 },
        }, [parameter]);
        using var weights = tensor(new float[] { 3, 4 });
        using var loss = (parameter * weights).sum();
        double? norm = wrapper.UpdateParams(loss);
        Assert.Equal(5.0, norm!.Value, 5);
        var updated = parameter.data<float>().ToArray();
        Assert.Equal(-0.6f, updated[0], 5);
        Assert.Equal(-0.8f, updated[1], 5);
    }

    [Fact]
    public void AutoScaleLrMultipliesLrAndInitialLrByRealOverBaseBatch()
    {
        using var parameter = new Parameter(zeros(1));
        using var wrapper = OptimWrapper.Create(new OptimWrapperConfig { Optimizer = new SgdConfig { Lr = 0.01 } }, [parameter]);
        var config = new AutoScaleLrConfig { Enable = true, BaseBatchSize = 256 };
        Assert.Equal(0.125, config.Apply(wrapper, worldSize: 1, batchPerWorker: 32));
        Assert.Equal(0.00125, wrapper.Lr, 12);
        Assert.Equal(0.00125, wrapper.ParamGroups[0].InitialLearningRate, 12);
        Assert.Equal(1.0, new AutoScaleLrConfig { Enable = false, BaseBatchSize = 256 }.Apply(wrapper, 8, 32));
    }

    [Fact]
    public void UnsupportedWrapperTypeIsNamed()
    {
        using var parameter = new Parameter(zeros(1));
        var error = Assert.Throws<ArgumentException>(() => OptimWrapper.Create(
            new OptimWrapperConfig { Type = "AmpOptimWrapper", Optimizer = new SgdConfig { Lr = 1 } }, [parameter]));
        Assert.Contains("AmpOptimWrapper", error.Message);
    }
}
