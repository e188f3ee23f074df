using System.Globalization;
using Cluster.Training.Engine;

namespace Cluster.Client.Commands;

/// <summary>Prints a run's progress events as MMEngine-style log lines.</summary>
internal sealed class ConsoleProgressPrinter(TextWriter output) : IProgress<TrainingEvent>
{
    public void Report(TrainingEvent value) => output.WriteLine(Format(value));

    internal static string Format(TrainingEvent value) => value switch
    {
        IterationProgress p => FormatIteration(p),
        EpochCompleted e => FormattableString.Invariant(
            $"Epoch(train) [{e.Epoch}/{e.MaxEpochs}] done in {FormatSpan(e.Duration)}  mean loss: {e.MeanLoss:0.0000}  lr: {e.LearningRate:0.0000e+00}"),
        // AVA's per-class APs (up to 80) stay in scalars.json; the line keeps mAP and the category means.
        ValidationCompleted v => $"Epoch(val) [{v.Epoch}]  {FormatMetrics(DetectionMetricsTable.Summary(v.Metrics))}",
        CheckpointSaved c => $"Saved {(c.IsBest ? "best " : "")}checkpoint {c.Path}",
        TrainingMessage m => m.Text,
        TrainingFinished f => $"Training {f.Result.Status.ToString().ToLowerInvariant()} after {f.Result.EpochsRun} epochs" +
                              (f.Result.StopReason is { } reason ? $": {reason}" : ""),
        _ => value.ToString(),
    };

    private static string FormatIteration(IterationProgress p)
    {
        var iteration = p.Iteration.ToString(CultureInfo.InvariantCulture).PadLeft(p.ItersPerEpoch.ToString(CultureInfo.InvariantCulture).Length);
        var line = FormattableString.Invariant(
            $"Epoch(train) [{p.Epoch}/{p.MaxEpochs}][{iteration}/{p.ItersPerEpoch}]  lr: {p.LearningRate:0.0000e+00}  eta: {FormatSpan(p.Eta)}  time: {p.IterationTimeSeconds:0.000}  data_time: {p.DataTimeSeconds:0.000}  loss: {p.Loss:0.0000}  clips/s: {p.ClipsPerSecond:0.0}");
        return p.GradNorm is { } norm ? line + FormattableString.Invariant($"  grad_norm: {norm:0.0000}") : line;
    }

    internal static string FormatMetrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join("  ", metrics.Select(m => FormattableString.Invariant($"{m.Key}: {m.Value:0.0000}")));

    private static string FormatSpan(TimeSpan span) => span.ToString(span.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);
}
