using Cluster.Training.Evaluation;
using static TorchSharp.torch;

namespace Cluster.Tests.Evaluation;

public class AccMetricTests
{
    // 4 samples, 4 classes. Rankings: s0: 2>1>0>3, s1: 0>2>1>3, s2: 1>0>3>2, s3: 1>2>0>3.
    private static Tensor Scores() => tensor(new float[,]
    {
        { 0.2f, 0.3f, 0.4f, 0.1f },
        { 0.5f, 0.2f, 0.3f, 0.0f },
        { 0.3f, 0.4f, 0.1f, 0.2f },
        { 0.2f, 0.5f, 0.3f, 0.0f },
    });

    [Fact]
    public void TopKCountsLabelsAmongTheKHighestScores()
    {
        using var scores = Scores();
        using var labels = tensor(new long[] { 2, 2, 0, 0 });
        var metrics = new AccMetric(["top_k_accuracy"], [1, 2, 3, 5]).Compute(scores, labels);
        // top1 hits: s0 only; top2 adds s1 (2 second) and s2 (0 second); top3 adds s3; k = 5 > classes counts all.
        Assert.Equal(0.25, metrics["acc/top1"]);
        Assert.Equal(0.75, metrics["acc/top2"]);
        Assert.Equal(1.0, metrics["acc/top3"]);
        Assert.Equal(1.0, metrics["acc/top5"]);
    }

    [Fact]
    public void MeanClassAccuracyCountsOnlyPredictedClassesAsZeroAndSkipsAbsentOnes()
    {
        using var scores = Scores();
        using var labels = tensor(new long[] { 2, 2, 0, 0 });
        // Predictions 2, 0, 1, 1. Class 2: 1/2, class 0: 0/2, class 1 only predicted: 0, class 3 absent: skipped.
        var metrics = new AccMetric(["mean_class_accuracy"], [1]).Compute(scores, labels);
        Assert.Equal((0.5 + 0 + 0) / 3, metrics["acc/mean1"], 12);
    }

    [Fact]
    public void MeanAveragePrecisionAveragesClassesWithPositives()
    {
        using var scores = tensor(new float[,] { { 0.9f, 0.5f, 0.1f }, { 0.8f, 0.5f, 0.2f }, { 0.7f, 0.3f, 0.3f }, { 0.6f, 0.2f, 0.4f } });
        using var labels = tensor(new float[,] { { 1, 1, 0 }, { 0, 0, 0 }, { 1, 0, 0 }, { 0, 1, 0 } });
        // Class 0: positives at ranks 1 and 3 → ½·1 + ½·⅔. Class 1: tie at 0.5 holds one positive of two
        // (precision ½, recall ½), then 0.3 negative, 0.2 positive (precision ½, recall 1) → ½·½ + ½·½.
        // Class 2 has no positive → skipped.
        var metrics = new AccMetric(["mean_average_precision"], [1]).Compute(scores, labels);
        Assert.Equal(((0.5 + 0.5 * 2 / 3.0) + 0.5) / 2, metrics["acc/mean_average_precision"], 12);
    }

    [Fact]
    public void ConfigReadsTopKFromMetricOptions()
    {
        var config = new AccMetricConfig
        {
            MetricList = ["top_k_accuracy"],
            MetricOptions = new() { ["top_k_accuracy"] = new Dictionary<string, object?> { ["topk"] = new List<object?> { 1L, 3L } } },
        };
        using var scores = Scores();
        using var labels = tensor(new long[] { 2, 2, 0, 0 });
        Assert.Equal(["acc/top1", "acc/top3"], ((IMetric)config.Create()).Compute(scores, labels).Keys);
    }

    [Fact]
    public void UnknownMetricIsNamed()
    {
        using var scores = Scores();
        using var labels = tensor(new long[] { 2, 2, 0, 0 });
        var error = Assert.Throws<ArgumentException>(() => new AccMetric(["top1"], [1]).Compute(scores, labels));
        Assert.Contains("'top1'", error.Message);
    }
}
