using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>MMAction2's BaseHead.loss_by_feat with its CrossEntropyLoss / BCELossWithLogits.</summary>
public sealed class ClassificationLoss
{
    private readonly HeadConfig config;
    private readonly LossConfig loss;

    public ClassificationLoss(HeadConfig config)
    {
        this.config = config;
        loss = config.LossCls ?? (config.MultiClass ? new BCELossWithLogitsConfig() : new CrossEntropyLossConfig());
    }

    /// <summary>int64 [N] class indices, or float [N, K] soft / multi-hot labels.</summary>
    public Tensor Compute(Tensor logits, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        var hard = !labels.is_floating_point();
        if (!hard && config.MultiClass && config.LabelSmoothEps != 0)
            labels = labels * held.Of(1 - config.LabelSmoothEps) + held.Of(config.LabelSmoothEps / config.NumClasses);
        using var classWeight = loss.ClassWeight is { } w ? tensor(w.ToArray(), dtype: logits.dtype, device: logits.device) : null;
        var value = loss switch
        {
            CrossEntropyLossConfig when hard => nn.functional.cross_entropy(logits, labels, classWeight),
            CrossEntropyLossConfig => SoftCrossEntropy(logits, labels, classWeight),
            BCELossWithLogitsConfig when hard => throw new ArgumentException(
                "cls_head.loss_cls: BCELossWithLogits needs [N, K] multi-hot labels, got class indices"),
            BCELossWithLogitsConfig => nn.functional.binary_cross_entropy_with_logits(logits, labels, classWeight),
            _ => throw new ArgumentException($"cls_head.loss_cls: unsupported loss {loss.GetType().Name}"),
        };
        return (value * held.Of(loss.LossWeight)).MoveToOuterDisposeScope();
    }

    private static Tensor SoftCrossEntropy(Tensor logits, Tensor labels, Tensor? classWeight)
    {
        var logProbs = nn.functional.log_softmax(logits, 1);
        if (classWeight is null) return -(labels * logProbs).sum(1).mean();
        var weighted = -(labels * logProbs * classWeight.unsqueeze(0)).sum(1);
        return weighted.sum() / (classWeight.unsqueeze(0) * labels).sum();
    }
}
