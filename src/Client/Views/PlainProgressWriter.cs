using Cluster.Abstractions.Experiments;

namespace Cluster.Client.Views;

/// <summary>
/// The non-interactive form of the live view (output not a terminal, --json, CI): one plain line per change, no ANSI.
/// </summary>
internal sealed class PlainProgressWriter(TextWriter output)
{
    private ExperimentState? lastState;
    private string? lastReason;
    private string? lastWorkers;
    private long lastIteration = -1;
    private int lastValidatedEpoch = -1;

    public void Show(ExperimentStatus status)
    {
        // The same slots re-formed under a new generation are a change worth a line too.
        var workers = status.Workers.Count == 0 ? ""
            : string.Join(", ", status.Workers.OrderBy(w => w.Rank).Select(w => $"{w.Device}@{w.Silo}")) + $" (generation {status.Generation})";
        // A waiting run's reason changes as slots come and go ("waiting for workers: 1 of min 2 free").
        if ((status.State != lastState || status.Reason != lastReason) && !status.State.IsTerminal())
            output.WriteLine(Format.StateLine(status));
        if (workers.Length > 0 && workers != lastWorkers)
            output.WriteLine($"{status.Id} workers: {workers}");
        // In the order they happened: an epoch's iterations, then its validation, then the next epoch's iterations.
        var progress = status.Progress is { } p && p.GlobalIteration != lastIteration ? p : null;
        var validated = status.History.LastOrDefault(h => h.Metrics.Count > 0) is { } v && v.Epoch != lastValidatedEpoch ? v : null;
        if (validated is not null && progress is not null && validated.Epoch < progress.Epoch) WriteValidation(status, validated);
        if (progress is not null)
        {
            output.WriteLine(Format.ProgressLine(status, progress));
            lastIteration = progress.GlobalIteration;
        }
        if (validated is not null && validated.Epoch != lastValidatedEpoch) WriteValidation(status, validated);
        if (status.State.IsTerminal() && status.State != lastState)
            output.WriteLine(Format.StateLine(status));
        lastState = status.State;
        lastReason = status.Reason;
        lastWorkers = workers;
    }

    private void WriteValidation(ExperimentStatus status, EpochRecord validated)
    {
        output.WriteLine($"{status.Id} epoch {validated.Epoch} val: {Format.Metrics(validated.Metrics)}");
        lastValidatedEpoch = validated.Epoch;
    }
}
