using Cluster.Training.Data;
using Cluster.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>
/// MMEngine's ValLoop / TestLoop: the model in eval mode under no_grad, <see cref="Recognizer.Predict"/> per batch
/// (multi-view averaging is the head's <c>average_clips</c>), scores gathered on the CPU, then every metric.
/// Disposes each batch after use. Leaves the model in eval mode.
/// </summary>
public sealed class EvaluationLoop(Recognizer model, IReadOnlyList<IEvaluationMetric> metrics, Device device)
{
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires between batches.</exception>
    public EvaluationResult Run(IEnumerable<Batch> batches, CancellationToken cancellation = default)
    {
        model.eval();
        using var noGrad = no_grad();
        var scoreChunks = new List<Tensor>();
        var labelChunks = new List<Tensor>();
        var sampleIndices = new List<int>();
        try
        {
            foreach (var batch in batches)
            {
                using (batch)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var scores = model.Predict(batch.Inputs.to(device)).to(float32).cpu();
                    // Owned here (and freed below), whatever dispose scope the caller has open.
                    scoreChunks.Add(scores.DetachFromDisposeScope());
                    labelChunks.Add(batch.Labels.clone().DetachFromDisposeScope());
                    sampleIndices.AddRange(batch.SampleIndices);
                }
            }
            if (scoreChunks.Count == 0)
            {
                throw new InvalidOperationException("evaluation: the data source produced no batches");
            }
            var allScores = cat(scoreChunks, 0).DetachFromDisposeScope();
            var allLabels = cat(labelChunks, 0).DetachFromDisposeScope();
            try
            {
                var values = new Dictionary<string, double>();
                foreach (var metric in metrics.OfType<IMetric>())
                {
                    foreach (var (key, value) in metric.Compute(allScores, allLabels))
                    {
                        values[key] = value;
                    }
                }
                return new EvaluationResult(values, allScores, allLabels, sampleIndices.ToArray());
            }
            catch
            {
                allScores.Dispose();
                allLabels.Dispose();
                throw;
            }
        }
        finally
        {
            scoreChunks.ForEach(t => t.Dispose());
            labelChunks.ForEach(t => t.Dispose());
        }
    }
}

/// <summary>Metrics plus the gathered CPU scores [N, K] and labels in sample order (dispose to free them).</summary>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, Tensor Scores, Tensor Labels,
    int[] SampleIndices) : IDisposable
{
    public void Dispose()
    {
        Scores.Dispose();
        Labels.Dispose();
    }
}
