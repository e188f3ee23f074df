using Cluster.Training.Models.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

public class ClassificationLossTests
{
    // Logits [[0, ln 3]] give softmax [0.25, 0.75]; hand-computed losses below follow from that.
    private static Tensor Logits() => tensor(new[] { 0f, (float)Math.Log(3) }).reshape(1, 2);

    [Fact]
    public void CrossEntropyOnClassIndicesTimesLossWeight()
    {
        var loss = new ClassificationLoss(new TSNHeadConfig
        {
            NumClasses = 2, InChannels = 1, LossCls = new CrossEntropyLossConfig { LossWeight = 2 },
        });
        using var value = loss.Compute(Logits(), tensor(new long[] { 0 }));
        Assert.Equal(2 * Math.Log(4), value.item<float>(), 5);
    }

    [Fact]
    public void CrossEntropyOnSoftLabelsIsMinusLabelTimesLogSoftmax()
    {
        var loss = new ClassificationLoss(new TSNHeadConfig { NumClasses = 2, InChannels = 1 });
        using var value = loss.Compute(Logits(), tensor(new[] { 0.5f, 0.5f }).reshape(1, 2));
        Assert.Equal(0.5 * Math.Log(4) + 0.5 * Math.Log(4.0 / 3), value.item<float>(), 5);
    }

    [Fact]
    public void MultiClassDefaultsToSigmoidBceWithLabelSmoothing()
    {
        var loss = new ClassificationLoss(new TSNHeadConfig
        {
            NumClasses = 2, InChannels = 1, MultiClass = true, LabelSmoothEps = 0.2,
        });
        using var value = loss.Compute(tensor(new[] { 0f, 0f }).reshape(1, 2), tensor(new[] { 1f, 0f }).reshape(1, 2));
        // Smoothed labels 0.9 / 0.1; at logit 0 each BCE term is ln 2 whatever the label.
        Assert.Equal(Math.Log(2), value.item<float>(), 5);

        using var shifted = loss.Compute(tensor(new[] { 2f, 2f }).reshape(1, 2), tensor(new[] { 1f, 0f }).reshape(1, 2));
        static double Bce(double y, double x) => -(y * Math.Log(1 / (1 + Math.Exp(-x))) + (1 - y) * Math.Log(1 - 1 / (1 + Math.Exp(-x))));
        Assert.Equal((Bce(0.9, 2) + Bce(0.1, 2)) / 2, shifted.item<float>(), 5);
    }

    [Fact]
    public void BceRejectsClassIndices()
    {
        var loss = new ClassificationLoss(new TSNHeadConfig
        {
            NumClasses = 2, InChannels = 1, LossCls = new BCELossWithLogitsConfig(),
        });
        var error = Assert.Throws<ArgumentException>(() => loss.Compute(Logits(), tensor(new long[] { 1 })));
        Assert.Contains("cls_head.loss_cls", error.Message);
    }
}
