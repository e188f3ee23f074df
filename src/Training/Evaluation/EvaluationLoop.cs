using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Evaluation;

/// <summary>
/// MMEngine's ValLoop / TestLoop: the model in eval mode under no_grad, <see cref="VideoModel.Predict(Batch, Device)"/>
/// per batch (multi-view averaging is the head's <c>average_clips</c>), scores gathered on the CPU, then every metric.
/// <para>A recognition batch gives one score row per sample, checked against <see cref="Batch.Labels"/>. A detection
/// batch (<see cref="Batch.Detection"/>) gives one row per RoI, checked against the RoIs' labels, and its scored
/// detections (<see cref="VideoModel.Detections"/>) go to the <see cref="IDetectionMetric"/>s.</para>
/// Disposes each batch after use. Leaves the model in eval mode.
/// </summary>
public sealed class EvaluationLoop(VideoModel model, IReadOnlyList<IEvaluationMetric> metrics, Device device)
{
    /// <exception cref="OperationCanceledException">When <paramref name="cancellation"/> fires between batches.</exception>
    public EvaluationResult Run(IEnumerable<Batch> batches, CancellationToken cancellation = default)
    {
        model.eval();
        using var noGrad = no_grad();
        var scoreChunks = new List<Tensor>();
        var labelChunks = new List<Tensor>();
        var sampleIndices = new List<int>();
        var detections = new List<AvaDetection>();
        try
        {
            foreach (var batch in batches)
            {
                using (batch)
                {
                    cancellation.ThrowIfCancellationRequested();
                    using var scope = NewDisposeScope();
                    var scores = model.Predict(batch, device).to(float32).cpu();
                    // Owned here (and freed below), whatever dispose scope the caller has open.
                    scoreChunks.Add(scores.DetachFromDisposeScope());
                    labelChunks.Add((batch.Detection?.Labels ?? batch.Labels).clone().DetachFromDisposeScope());
                    sampleIndices.AddRange(batch.SampleIndices);
                    if (batch.Detection is { } targets)
                    {
                        detections.AddRange(model.Detections(scores, targets));
                    }
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
                foreach (var metric in metrics)
                {
                    var computed = metric switch
                    {
                        IMetric scoreMetric => scoreMetric.Compute(allScores, allLabels),
                        IDetectionMetric detectionMetric => detectionMetric.Compute(detections),
                        _ => throw new ArgumentException($"evaluation: unsupported metric {metric.GetType().Name}"),
                    };
                    foreach (var (key, value) in computed)
                    {
                        values[key] = value;
                    }
                }
                return new EvaluationResult(values, allScores, allLabels, sampleIndices.ToArray(), detections);
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

/// <summary>
/// Metrics plus the gathered CPU scores and labels (one row per sample, or per RoI for detection batches), the
/// samples' dataset indices in order, and the scored detections of detection batches (empty otherwise). Dispose to
/// free the tensors.
/// </summary>
public sealed record EvaluationResult(IReadOnlyDictionary<string, double> Metrics, Tensor Scores, Tensor Labels,
    int[] SampleIndices, IReadOnlyList<AvaDetection> Detections) : IDisposable
{
    public void Dispose()
    {
        Scores.Dispose();
        Labels.Dispose();
    }
}
