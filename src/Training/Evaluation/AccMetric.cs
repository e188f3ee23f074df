using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>
/// MMAction2's AccMetric (prefix <c>acc</c>):
/// <list type="bullet">
/// <item><c>top_k_accuracy</c> → <c>acc/top{k}</c>: fraction of samples whose label is among the k highest scores
/// (k larger than the class count counts every sample).</item>
/// <item><c>mean_class_accuracy</c> → <c>acc/mean1</c>: mean per-class recall over the classes that occur as a label
/// or as a prediction; a class that is only predicted counts 0 (MMAction2's confusion-matrix form).</item>
/// <item><c>mean_average_precision</c> → <c>acc/mean_average_precision</c> for multi-hot labels: per class, AP =
/// Σ (Rₙ − Rₙ₋₁)·Pₙ over score thresholds (ties grouped, as sklearn's average_precision_score); mean over classes
/// that have a positive (others are NaN and skipped, as MMAction2).</item>
/// </list>
/// </summary>
public sealed class AccMetric(IReadOnlyList<string> metricList, IReadOnlyList<int> topK) : IMetric
{
    private static readonly string[] Known = ["top_k_accuracy", "mean_class_accuracy", "mean_average_precision"];

    public IReadOnlyDictionary<string, double> Compute(Tensor scores, Tensor labels)
    {
        if (scores.dim() != 2)
        {
            // Recognizer3D.Predict keeps one score row per view when the head has no average_clips.
            throw new ArgumentException(
                $"AccMetric: expected one score row per sample [N, K], got [{string.Join(", ", scores.shape)}]; " +
                "set model.cls_head.average_clips (prob or score) for multi-view testing");
        }
        var results = new Dictionary<string, double>();
        foreach (var metric in metricList)
        {
            switch (metric)
            {
                case "top_k_accuracy":
                    RequireSingleLabel(labels, metric);
                    foreach (int k in topK)
                    {
                        results[$"acc/top{k}"] = TopKAccuracy(scores, labels, k);
                    }
                    break;
                case "mean_class_accuracy":
                    RequireSingleLabel(labels, metric);
                    results["acc/mean1"] = MeanClassAccuracy(scores, labels);
                    break;
                case "mean_average_precision":
                    if (labels.dim() != 2)
                    {
                        throw new ArgumentException("AccMetric.metric_list: mean_average_precision needs multi-hot labels");
                    }
                    results["acc/mean_average_precision"] = AveragePrecision.MeanOverClasses(scores, labels);
                    break;
                default:
                    throw new ArgumentException(
                        $"AccMetric.metric_list: unknown metric '{metric}' (known: {string.Join(", ", Known)})");
            }
        }
        return results;
    }

    public static double TopKAccuracy(Tensor scores, Tensor labels, int k)
    {
        using var scope = NewDisposeScope();
        int kept = (int)Math.Min(k, scores.shape[1]);
        var topIndices = scores.topk(kept, dim: 1).indexes;
        return topIndices.eq(labels.unsqueeze(1)).any(1).to(float64).mean().item<double>();
    }

    public static double MeanClassAccuracy(Tensor scores, Tensor labels)
    {
        using var scope = NewDisposeScope();
        using var held = new HeldScalars();
        var (zero, one) = (held.Of(0), held.Of(1));
        long classes = scores.shape[1];
        var predictions = scores.argmax(1);
        var labelCounts = labels.bincount(null, classes).to(float64);
        var hits = labels.masked_select(predictions.eq(labels)).bincount(null, classes).to(float64);
        var occurring = labelCounts.gt(zero).logical_or(predictions.bincount(null, classes).gt(zero));
        var recall = hits / labelCounts.clamp_min(one);
        return recall.masked_select(occurring).mean().item<double>();
    }

    private static void RequireSingleLabel(Tensor labels, string metric)
    {
        if (labels.dim() != 1)
        {
            throw new ArgumentException($"AccMetric.metric_list: {metric} needs class-index labels, got multi-hot labels");
        }
    }
}
