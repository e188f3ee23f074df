using Cluster.Training.Configs;

namespace Cluster.Training.Evaluation.Ava;

/// <summary>
/// <c>{type: AVAMetric, ann_file, label_file, exclude_file, num_classes, custom_classes, action_thr}</c> (MMAction2's
/// keys; <c>options</c> accepts only mAP). Reads the ground truth when the metric is created.
/// </summary>
[ConfigType("AVAMetric")]
public sealed class AvaMetricConfig : MetricConfig
{
    public required string AnnFile { get; init; }
    public required string LabelFile { get; init; }
    public string? ExcludeFile { get; init; }
    public int NumClasses { get; init; } = 81;

    /// <summary>Label-map ids the model's classes 1..num_classes-1 stand for; all of the label map when absent.</summary>
    public List<int>? CustomClasses { get; init; }

    /// <summary>Detections scoring at most this are not evaluated (MMAction2's bbox2result threshold).</summary>
    public double ActionThr { get; init; } = 0.002;

    public List<string> Options { get; init; } = ["mAP"];

    public override IEvaluationMetric Create()
    {
        if (Options is not ["mAP"])
            throw new ArgumentException($"AVAMetric.options: only [mAP] is supported, got [{string.Join(", ", Options)}]");
        var truth = AvaGroundTruth.Load(AnnFile, LabelFile, ExcludeFile, CustomClasses);
        return new AvaMetric(truth, NumClasses, CustomClasses, ActionThr);
    }
}
