using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>A metric over a whole evaluation set.</summary>
public interface IMetric
{
    /// <summary>Metric values keyed as MMEngine reports them (prefix/name, e.g. <c>acc/top1</c>).</summary>
    /// <param name="scores">float [N, K] test scores, on the CPU.</param>
    /// <param name="labels">int64 [N] class indices or float [N, K] multi-hot, on the CPU.</param>
    IReadOnlyDictionary<string, double> Compute(Tensor scores, Tensor labels);
}
