using System.Text;

namespace Cluster.Client.Reports;

/// <summary>
/// <c>results.csv</c>: one row per trial in index order. Columns: trial, one per searched key (its dotted path),
/// state, reason, epochs, last_metric, best_metric, best (true for the sweep's best trial), experiment, checkpoint.
/// RFC 4180 quoting; numbers in invariant culture.
/// </summary>
internal static class ResultsCsv
{
    public static string Write(SweepTable table)
    {
        var text = new StringBuilder();
        Line(text, ["trial", .. table.ParameterKeys, "state", "reason", "epochs", "last_metric", "best_metric", "best", "experiment", "checkpoint"]);
        foreach (var row in table.Rows)
            Line(text,
            [
                row.Id,
                .. table.ParameterKeys.Select(k => row.Parameters.GetValueOrDefault(k) ?? ""),
                row.State.ToString().ToLowerInvariant(),
                row.Reason ?? "",
                row.Epochs.ToString(System.Globalization.CultureInfo.InvariantCulture),
                row.LastMetric is { } last ? ParameterValue.Format(last) : "",
                row.BestMetric is { } best ? ParameterValue.Format(best) : "",
                row.IsBest ? "true" : "false",
                row.ExperimentId ?? "",
                row.Checkpoint ?? "",
            ]);
        return text.ToString();
    }

    private static void Line(StringBuilder text, IEnumerable<string> fields) =>
        text.Append(string.Join(',', fields.Select(Quote))).Append('\n');

    internal static string Quote(string field) =>
        field.IndexOfAny([',', '"', '\n', '\r']) < 0 ? field : $"\"{field.Replace("\"", "\"\"")}\"";
}
