using Cluster.Training.Configs;

namespace Cluster.Training.Evaluation;

/// <summary>One entry of <c>val_evaluator</c> / <c>test_evaluator</c>; the concrete class is picked by <c>type</c>.</summary>
public abstract class MetricConfig
{
    /// <summary>Builds the metric this entry describes.</summary>
    public abstract IEvaluationMetric Create();
}

/// <summary>MMAction2's AccMetric: metric_list of top_k_accuracy, mean_class_accuracy, mean_average_precision.</summary>
[ConfigType("AccMetric")]
public sealed class AccMetricConfig : MetricConfig
{
    public List<string> MetricList { get; init; } = ["top_k_accuracy", "mean_class_accuracy"];

    /// <summary>Raw <c>metric_options</c>; <c>top_k_accuracy.topk</c> (default [1, 5]) is read from it.</summary>
    public Dictionary<string, object?>? MetricOptions { get; init; }

    public override IEvaluationMetric Create() => new AccMetric(MetricList, TopK());

    private List<int> TopK()
    {
        if (MetricOptions?.GetValueOrDefault("top_k_accuracy") is not Dictionary<string, object?> options ||
            options.GetValueOrDefault("topk") is not { } topk)
        {
            return [1, 5];
        }
        return topk switch
        {
            long k => [(int)k],
            IEnumerable<object?> ks => ks.Select(k => k is long value
                ? (int)value
                : throw new ArgumentException($"metric_options.top_k_accuracy.topk: expected integers, got {k}")).ToList(),
            _ => throw new ArgumentException($"metric_options.top_k_accuracy.topk: expected an integer or a list, got {topk}"),
        };
    }
}
