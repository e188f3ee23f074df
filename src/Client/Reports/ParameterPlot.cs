using Cluster.Abstractions.Sweeps;
using ScottPlot;

namespace Cluster.Client.Reports;

/// <summary>
/// <c>param_&lt;key&gt;.png</c>: one searched parameter against each trial's final metric (its last validation). A numeric
/// parameter on a linear axis, or a log one when it was searched log-uniformly; a choice or grid, or text values, on one
/// tick per value. Stopped trials are crosses, the best trial a large red diamond.
/// </summary>
internal static class ParameterPlot
{
    public static Plot Build(SweepTable table, string key)
    {
        var plot = new Plot();
        var sweep = table.Sweep;
        bool log = table.IsLogScale(key);
        plot.Title($"{sweep.Name}: {key} vs final {sweep.Metric}");
        plot.XLabel(log ? $"{key} (log scale)" : key);
        plot.YLabel($"final {sweep.Metric}");
        var points = table.Rows
            .Where(r => r.LastMetric is not null && r.Parameters.ContainsKey(key))
            .Select(r => (Row: r, Text: r.Parameters[key], Metric: r.LastMetric!.Value))
            .ToList();
        if (points.Count == 0)
        {
            plot.Add.Annotation("no trial has reported a validation yet");
            return plot;
        }
        var numbers = points.Select(p => ParameterValue.Number(p.Text)).ToList();
        bool numeric = numbers.All(n => n is not null) && (!log || numbers.All(n => n > 0)) && !table.IsCategorical(key);
        Func<int, double> x;
        if (numeric && log)
        {
            x = i => Math.Log10(numbers[i]!.Value);
            var ticks = LogTicks.For(numbers.Min()!.Value, numbers.Max()!.Value);
            plot.Axes.Bottom.SetTicks([.. ticks.Select(t => t.Position)], [.. ticks.Select(t => t.Label)]);
        }
        else if (numeric)
        {
            x = i => numbers[i]!.Value;
        }
        else
        {
            // Numbers in their order, else text in its own.
            var categories = points.Select(p => p.Text).Distinct()
                .OrderBy(text => ParameterValue.Number(text) ?? double.MaxValue).ThenBy(text => text, StringComparer.Ordinal).ToList();
            x = i => categories.IndexOf(points[i].Text);
            plot.Axes.Bottom.SetTicks([.. Enumerable.Range(0, categories.Count).Select(i => (double)i)], [.. categories]);
            plot.Axes.SetLimitsX(-0.5, categories.Count - 0.5);
        }
        // One series per look, so the legend explains the shapes.
        foreach (var group in Enumerable.Range(0, points.Count).GroupBy(i => LookOf(points[i].Row)).OrderBy(g => g.Key == Look.Best))
        {
            var row = points[group.First()].Row;
            var markers = plot.Add.Markers(group.Select(x).ToArray(), group.Select(i => points[i].Metric).ToArray(),
                TrialStyle.EndMarkerOf(row), group.Key == Look.Best ? 16 : 10, group.Key == Look.Best ? TrialStyle.Best : LookColor(group.Key));
            markers.LegendText = group.Key switch
            {
                Look.Best => $"best ({SweepTable.ShortName(row)})",
                Look.Stopped => "stopped early",
                Look.Ended => "failed / cancelled",
                Look.Running => "running",
                _ => "completed",
            };
        }
        plot.ShowLegend(Edge.Right);
        return plot;
    }

    private enum Look { Completed, Stopped, Ended, Running, Best }

    private static Look LookOf(TrialRow row) => row.IsBest ? Look.Best : row.State switch
    {
        TrialState.Completed => Look.Completed,
        TrialState.Stopped => Look.Stopped,
        TrialState.Failed or TrialState.Cancelled => Look.Ended,
        _ => Look.Running,
    };

    private static Color LookColor(Look look) => look switch
    {
        Look.Completed => Color.FromHex("#1f77b4"),
        Look.Stopped => Color.FromHex("#ff7f0e"),
        Look.Ended => Colors.Gray,
        _ => Color.FromHex("#2ca02c"),
    };
}
