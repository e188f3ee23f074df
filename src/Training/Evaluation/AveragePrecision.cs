using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>Average precision of ranked scores (sklearn's average_precision_score; MMAction2's
/// binary_precision_recall_curve).</summary>
public static class AveragePrecision
{
    /// <summary>Mean AP over classes with at least one positive; NaN when no class has one.</summary>
    public static double MeanOverClasses(Tensor scores, Tensor multiHot)
    {
        using var scope = NewDisposeScope();
        var byClassScores = scores.t().contiguous().to(float64);
        var byClassLabels = multiHot.t().contiguous().to(float64);
        int classes = (int)scores.shape[1];
        int samples = (int)scores.shape[0];
        var allScores = byClassScores.data<double>().ToArray();
        var allLabels = byClassLabels.data<double>().ToArray();
        var perClass = new List<double>();
        for (int c = 0; c < classes; c++)
        {
            double ap = OfRanking(allScores.AsSpan(c * samples, samples), allLabels.AsSpan(c * samples, samples));
            if (!double.IsNaN(ap))
            {
                perClass.Add(ap);
            }
        }
        return perClass.Count == 0 ? double.NaN : perClass.Average();
    }

    /// <summary>Σ (Rₙ − Rₙ₋₁)·Pₙ over the distinct score thresholds, highest first; NaN without positives.</summary>
    public static double OfRanking(ReadOnlySpan<double> scores, ReadOnlySpan<double> labels)
    {
        var order = Enumerable.Range(0, scores.Length).ToArray();
        var keys = scores.ToArray();
        Array.Sort(keys.Select(k => -k).ToArray(), order);
        double positives = 0;
        foreach (var label in labels)
        {
            positives += label > 0 ? 1 : 0;
        }
        if (positives == 0)
        {
            return double.NaN;
        }
        double truePositives = 0, previousRecall = 0, ap = 0;
        for (int i = 0; i < order.Length; i++)
        {
            truePositives += labels[order[i]] > 0 ? 1 : 0;
            bool lastOfThreshold = i == order.Length - 1 || keys[order[i + 1]] != keys[order[i]];
            if (!lastOfThreshold)
            {
                continue;
            }
            double recall = truePositives / positives;
            ap += (recall - previousRecall) * truePositives / (i + 1);
            previousRecall = recall;
        }
        return ap;
    }
}
