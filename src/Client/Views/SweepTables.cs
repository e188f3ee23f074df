using System.Globalization;
using Cluster.Abstractions.Sweeps;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Views;

/// <summary>The table of `cluster sweep list`.</summary>
internal static class SweepTables
{
    public static IRenderable List(IReadOnlyList<SweepSummary> sweeps)
    {
        if (sweeps.Count == 0) return new Text("no sweeps");
        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "name", "state", "trials", "running", "best trial", "best", "created");
        foreach (var s in sweeps.OrderBy(s => s.CreatedAt))
            table.AddRow(Markup.Escape(s.Id), Markup.Escape(s.Name), s.State.ToString(),
                FormattableString.Invariant($"{s.CompletedTrials}/{s.Trials}"), s.RunningTrials.ToString(CultureInfo.InvariantCulture),
                Markup.Escape(s.BestTrialId is { } best ? SweepView.ShortId(s.Id, best) : "-"),
                s.BestMetric is { } metric ? Markup.Escape(FormattableString.Invariant($"{s.Metric} {metric:0.0000}")) : "-",
                Format.Time(s.CreatedAt));
        return table;
    }
}
