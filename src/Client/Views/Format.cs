using System.Globalization;
using Cluster.Abstractions.Experiments;

namespace Cluster.Client.Views;

/// <summary>The text pieces the live view, the plain progress lines and <c>cluster status</c> share.</summary>
internal static class Format
{
    public static string Metrics(IReadOnlyDictionary<string, double> metrics) =>
        string.Join("  ", metrics.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => FormattableString.Invariant($"{m.Key}: {m.Value:0.0000}")));

    public static string Best(BestMetric best) => FormattableString.Invariant($"{best.Name}: {best.Value:0.0000} (epoch {best.Epoch})");

    public static string Span(TimeSpan span) =>
        span < TimeSpan.Zero ? "-" : span.ToString(span.TotalHours >= 1 ? @"h\:mm\:ss" : @"m\:ss", CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset? at) => at?.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>The closing line of a finished run: how far it got, or why it stopped.</summary>
    public static string Outcome(ExperimentStatus status)
    {
        int epochs = status.History.Count > 0 ? status.History.Max(h => h.Epoch) : status.Progress?.Epoch ?? 0;
        var detail = status.State switch
        {
            ExperimentState.Completed => $"after {epochs} epoch{(epochs == 1 ? "" : "s")}",
            _ => status.Reason ?? "no reason given",
        };
        return status.State == ExperimentState.Completed && status.Reason is { } note ? $"{detail} ({note})" : detail;
    }

    public static string ProgressLine(ExperimentStatus status, LiveProgress p) => FormattableString.Invariant(
        $"{status.Id} epoch {p.Epoch}/{p.MaxEpochs} iter {p.Iteration}/{p.ItersPerEpoch}  ") + ExperimentView.Numbers(p);

    public static string StateLine(ExperimentStatus status) =>
        $"{status.Id} {status.State}" + (status.State.IsTerminal() ? $": {Outcome(status)}" : status.Reason is { } r ? $": {r}" : "");
}
