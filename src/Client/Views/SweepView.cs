using System.Globalization;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Reports;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Views;

/// <summary>
/// What <c>cluster sweep watch|status</c> show of a sweep: a headline, one row per trial (its parameters, state, epoch,
/// last and best metric, why it ended; trials named without the sweep id) with the best trial marked <c>*</c> and bold green, then the best trial and its
/// checkpoint. A pure function of the status, tested against a plain console.
/// </summary>
internal static class SweepView
{
    public const string BestMark = "*";

    public static IRenderable Render(SweepStatus status)
    {
        var rows = new List<IRenderable> { new Markup(Headline(status)) };
        if (status.Trials.Count > 0) rows.Add(Trials(status));
        else if (!status.State.IsTerminal()) rows.Add(new Text("no trial started yet"));
        if (BestLine(status) is { } best) rows.Add(new Text(best));
        if (status.State.IsTerminal()) rows.Add(new Markup($"{StateMarkup(status.State)} {Markup.Escape(Outcome(status))}"));
        return new Rows(rows);
    }

    private static string Headline(SweepStatus s)
    {
        int finished = s.Trials.Count(t => t.State.IsTerminal());
        int running = s.Trials.Count(t => t.State is TrialState.Running or TrialState.Retrying);
        return $"[bold]{Markup.Escape(s.Id)}[/]  {Markup.Escape(s.Name)}  {StateMarkup(s.State)}  " + Markup.Escape(FormattableString.Invariant(
            $"{s.Metric} ({s.Mode})  {s.SearchAlgorithm}/{s.Scheduler}  trials: {finished} ended, {running} running of {s.PlannedTrials}"));
    }

    private static Table Trials(SweepStatus status)
    {
        var keys = status.Trials.SelectMany(t => t.Parameters.Keys).Distinct().ToList();
        var headers = ParameterHeaders(keys);
        var table = new Table().Border(TableBorder.Simple).AddColumn("trial");
        foreach (var key in keys) table.AddColumn(Markup.Escape(headers[key]));
        table.AddColumns("state", "epoch", Markup.Escape(status.Metric), "best", "note");
        foreach (var trial in status.Trials.OrderBy(t => t.Index))
        {
            bool isBest = status.Best?.TrialId == trial.Id;
            string Cell(string text) => isBest ? $"[bold green]{Markup.Escape(text)}[/]" : Markup.Escape(text);
            table.AddRow(
            [
                Cell((isBest ? BestMark : " ") + ShortId(status.Id, trial.Id)),
                .. keys.Select(k => Cell(trial.Parameters.TryGetValue(k, out var value) ? ParameterValue.Display(value) : "-")),
                Cell(trial.State.ToString().ToLowerInvariant() + (trial.Failures > 0 ? $" ({trial.Failures} failed)" : "")),
                Cell(trial.Epoch.ToString(CultureInfo.InvariantCulture)),
                Cell(Metric(trial.LastMetric)),
                Cell(Metric(trial.BestMetric)),
                Cell(trial.Reason ?? ""),
            ]);
        }
        return table;
    }

    /// <summary>A trial's id without its sweep's (the headline has it): <c>t003</c>, <c>t003-r1</c>.</summary>
    internal static string ShortId(string sweepId, string id) =>
        id.StartsWith(sweepId + "-", StringComparison.Ordinal) ? id[(sweepId.Length + 1)..] : id;

    /// <summary>A parameter's column header: the last segment of its key path, the whole path where two would clash.</summary>
    internal static Dictionary<string, string> ParameterHeaders(IReadOnlyList<string> keys)
    {
        static string Last(string key) => key[(key.LastIndexOf('.') + 1)..];
        var clashing = keys.GroupBy(Last).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        return keys.ToDictionary(k => k, k => clashing.Contains(k) ? k : Last(k));
    }

    public static string? BestLine(SweepStatus s) => s.Best is { } best
        ? FormattableString.Invariant($"best: {best.TrialId} {s.Metric} {best.Metric:0.0000} (epoch {best.Epoch})")
          + (best.Checkpoint is { } checkpoint ? $"  checkpoint: {checkpoint.Uri}" : "")
        : null;

    public static string Outcome(SweepStatus s)
    {
        int completed = s.Trials.Count(t => t.State == TrialState.Completed);
        int stopped = s.Trials.Count(t => t.State == TrialState.Stopped);
        int failed = s.Trials.Count(t => t.State == TrialState.Failed);
        var counts = FormattableString.Invariant(
            $"{s.Trials.Count} trial{(s.Trials.Count == 1 ? "" : "s")}: {completed} completed, {stopped} stopped early, {failed} failed");
        return s.Reason is { } reason ? $"{counts} ({reason})" : counts;
    }

    public static string StateLine(SweepStatus s) =>
        $"{s.Id} {s.State}" + (s.State.IsTerminal() ? $": {Outcome(s)}" : s.Reason is { } r ? $": {r}" : "");

    internal static string Metric(double? value) => value?.ToString("0.0000", CultureInfo.InvariantCulture) ?? "-";

    private static string StateMarkup(SweepState state) => state switch
    {
        SweepState.Completed => "[green]Completed[/]",
        SweepState.Failed => "[red]Failed[/]",
        SweepState.Cancelled => "[yellow]Cancelled[/]",
        SweepState.Running => "[blue]Running[/]",
        _ => state.ToString(),
    };
}
