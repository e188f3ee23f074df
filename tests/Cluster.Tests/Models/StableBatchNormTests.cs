using Cluster.Training.Models.Init;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;
using BatchNorm3d = Cluster.Training.Models.Layers.BatchNorm3d;

namespace Cluster.Tests.Models;

/// <summary>Our BatchNorm layers compute exactly what TorchSharp's (i.e. PyTorch's) do, in training and in eval.</summary>
public class StableBatchNormTests
{
    [Fact]
    public void MatchesTorchSharpBatchNormInTrainingAndEval()
    {
        using var ours = new BatchNorm2d(3);
        using var reference = nn.BatchNorm2d(3);
        using var input = randn(4, 3, 5, 5) * 2 + 1;

        for (int step = 0; step < 3; step++)
        {
            using var a = ours.forward(input);
            using var b = reference.forward(input);
            Assert.True(a.allclose(b, rtol: 0, atol: 1e-6));
        }
        Assert.True(ours.running_mean!.allclose(reference.running_mean!, rtol: 0, atol: 1e-7));
        Assert.True(ours.running_var!.allclose(reference.running_var!, rtol: 0, atol: 1e-7));
        Assert.Equal(3, ours.num_batches_tracked!.item<long>());

        ours.eval();
        reference.eval();
        using var evalOurs = ours.forward(input);
        using var evalReference = reference.forward(input);
        Assert.True(evalOurs.allclose(evalReference, rtol: 0, atol: 1e-6));
        Assert.Equal(3, ours.num_batches_tracked!.item<long>());
    }

    [Fact]
    public void KeepsPyTorchNamesForStateDictsAndInitSelection()
    {
        using var bn = new BatchNorm3d(2);

        Assert.Equal(["weight", "bias", "running_mean", "running_var", "num_batches_tracked"],
            bn.state_dict().Keys.OrderBy(k => k == "weight" ? 0 : k == "bias" ? 1 : 2));
        Assert.Equal("BatchNorm3d", PyTorchTypeNames.ClassName(bn));
        Assert.Equal(["_BatchNorm"], PyTorchTypeNames.BaseClassNames(bn));
        Assert.Throws<ArgumentException>(() => bn.forward(zeros(2, 2, 4, 4)));
    }
}
