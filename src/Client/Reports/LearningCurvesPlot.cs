using System.Globalization;
using ScottPlot;

namespace Cluster.Client.Reports;

/// <summary>
/// <c>learning_curves.png</c>: the sweep metric against the epoch for every trial that validated at least once. Stopped
/// trials are dashed and end in a cross (so a reader sees where the scheduler cut them), the best trial is drawn last,
/// red and heavy.
/// </summary>
internal static class LearningCurvesPlot
{
    /// <summary>With more trials than this, the legend explains the styles instead of naming each trial.</summary>
    internal const int MaxNamedTrials = 12;

    public static Plot Build(SweepTable table)
    {
        var plot = new Plot();
        var sweep = table.Sweep;
        plot.Title($"{sweep.Name}: {sweep.Metric} per epoch ({sweep.Scheduler}, {sweep.Mode})");
        plot.XLabel("epoch");
        plot.YLabel(sweep.Metric);
        var drawn = table.Rows.Where(r => r.History.Count > 0).OrderBy(r => r.IsBest).ToList();
        bool named = drawn.Count <= MaxNamedTrials;
        foreach (var row in drawn)
        {
            var points = row.History.OrderBy(p => p.Epoch).ToList();
            var line = plot.Add.Scatter(points.Select(p => (double)p.Epoch).ToArray(), points.Select(p => p.Value).ToArray(), TrialStyle.ColorOf(row));
            line.LinePattern = TrialStyle.LineOf(row);
            line.LineWidth = row.IsBest ? 3.5f : 1.5f;
            line.MarkerSize = row.IsBest ? 7 : 4;
            var end = points[^1];
            var marker = plot.Add.Marker(end.Epoch, end.Value, TrialStyle.EndMarkerOf(row), row.IsBest ? 14 : 10, TrialStyle.ColorOf(row));
            if (named || row.IsBest)
                line.LegendText = row.IsBest
                    ? $"best {TrialStyle.Label(row)} ({row.BestMetric?.ToString("0.####", CultureInfo.InvariantCulture)})"
                    : TrialStyle.Label(row);
            marker.LegendText = "";
        }
        if (!named) AddStyleLegend(plot);
        if (drawn.Count == 0) plot.Add.Annotation("no trial has reported a validation yet");
        else plot.ShowLegend(Edge.Right);
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        return plot;
    }

    private static void AddStyleLegend(Plot plot)
    {
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "completed", LinePattern = LinePattern.Solid, LineColor = Colors.Gray, LineWidth = 1.5f });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "stopped early", LinePattern = LinePattern.Dashed, LineColor = Colors.Gray, LineWidth = 1.5f });
        plot.Legend.ManualItems.Add(new LegendItem { LabelText = "failed / cancelled", LinePattern = LinePattern.Dotted, LineColor = Colors.Gray, LineWidth = 1.5f });
    }
}
