using Cluster.Training.Data.Ava;
using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>What a <c>val_evaluator</c> / <c>test_evaluator</c> entry builds: a metric over class scores
/// (<see cref="IMetric"/>) or over scored detections (<see cref="IDetectionMetric"/>).</summary>
public interface IEvaluationMetric;

/// <summary>A metric over a whole evaluation set.</summary>
public interface IMetric : IEvaluationMetric
{
    /// <summary>Metric values keyed as MMEngine reports them (prefix/name, e.g. <c>acc/top1</c>).</summary>
    /// <param name="scores">float [N, K] test scores, on the CPU.</param>
    /// <param name="labels">int64 [N] class indices or float [N, K] multi-hot, on the CPU.</param>
    IReadOnlyDictionary<string, double> Compute(Tensor scores, Tensor labels);
}

/// <summary>A metric over the scored action detections of a whole evaluation set (AVA's frame mAP): the ground
/// truth comes from the metric's own files (ann_file, exclude_file, label_file), as in MMAction2's AVAMetric.</summary>
public interface IDetectionMetric : IEvaluationMetric
{
    IReadOnlyDictionary<string, double> Compute(IReadOnlyList<AvaDetection> detections);
}
