using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Models.Detectors;

public class BBoxHeadAVATests
{
    private static readonly float[,] Logits =
    {
        { 0.5f, -1.0f, 2.0f, 0.3f },
        { 1.5f, 0.2f, -0.7f, 1.1f },
        { -0.4f, 0.9f, 0.0f, -2.0f },
    };

    // Row 1 has no positive class besides the ignored column 0, so only rows 0 and 2 count.
    private static readonly float[,] Labels =
    {
        { 1, 1, 0, 1 },
        { 1, 0, 0, 0 },
        { 0, 0, 1, 1 },
    };

    [Fact]
    public void LossIsTheMeanSigmoidBceOverPositiveRoisAndClassesFromOne()
    {
        using var head = new BBoxHeadAVA(new BBoxHeadAVAConfig { InChannels = 2, NumClasses = 4 });
        using var loss = head.Loss(tensor(Logits), tensor(Labels));
        // PyTorch: F.binary_cross_entropy_with_logits(logits[pos, 1:], labels[pos, 1:]).mean()
        Assert.Equal(1.3426290015607882, loss.item<float>(), 5);
    }

    [Fact]
    public void FocalLossWeightsEachTermByAlphaAndOneMinusPtToTheGamma()
    {
        using var head = new BBoxHeadAVA(new BBoxHeadAVAConfig
        {
            InChannels = 2, NumClasses = 4, FocalAlpha = 0.5, FocalGamma = 2,
        });
        using var loss = head.Loss(tensor(Logits), tensor(Labels));
        // PyTorch: (0.5 * (1 - exp(-bce)) ** 2 * bce).mean() over the same terms.
        Assert.Equal(0.4085870800073479, loss.item<float>(), 5);
    }

    [Fact]
    public void WithoutPositiveRoisTheLossIsZeroAndStillBackpropagates()
    {
        using var head = new BBoxHeadAVA(new BBoxHeadAVAConfig { InChannels = 2, NumClasses = 4 });
        using var logits = tensor(Logits).requires_grad_(true);
        using var loss = head.Loss(logits, zeros(3, 4));
        loss.backward();
        Assert.Equal(0f, loss.item<float>());
        Assert.Equal(0f, logits.grad!.abs().sum().item<float>());
    }

    [Fact]
    public void ForwardAveragesOverTimeThenTakesTheSpatialMaximum()
    {
        using var head = new BBoxHeadAVA(new BBoxHeadAVAConfig { InChannels = 2, NumClasses = 3 });
        head.eval();
        var state = head.state_dict();
        using (no_grad())
        {
            state["fc_cls.weight"].copy_(tensor(new float[,] { { 1, 0 }, { 0, 1 }, { 1, 1 } }));
            state["fc_cls.bias"].zero_();
        }
        // One RoI, 2 channels, 2 time steps, 1×2 spatial.
        using var features = tensor(new float[] { 1, 5, 3, 1, /* channel 1 */ 0, 2, 4, 2 }).reshape(1, 2, 2, 1, 2);

        using var logits = head.forward(features);

        // Channel 0: time means (2, 3) → max 3; channel 1: (2, 2) → 2. (Max first, then mean, would give 4 and 3.)
        Assert.Equal(new float[] { 3, 2, 5 }, logits.data<float>().ToArray());
    }

    [Fact]
    public void ParametersAreNamedAsMMAction2AndInitialisedNormalWithZeroBias()
    {
        using var head = new BBoxHeadAVA(new BBoxHeadAVAConfig { InChannels = 256, NumClasses = 81 });
        head.InitWeights(null);
        var parameters = head.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(["fc_cls.weight", "fc_cls.bias"], parameters.Keys);
        Assert.Equal(0f, parameters["fc_cls.bias"].abs().sum().item<float>());
        Assert.InRange(parameters["fc_cls.weight"].std().item<float>(), 0.009, 0.011);
    }
}
