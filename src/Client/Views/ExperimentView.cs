using System.Globalization;
using Cluster.Abstractions.Experiments;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Views;

/// <summary>
/// What <c>cluster watch</c> shows of one experiment: a pure function of its status, so it is tested against a test
/// console with hand-built statuses. Progress bars, loss, lr, clips/s, ETA, the workers and their silos, the last
/// validation metrics, and a closing line once the run ended.
/// </summary>
internal static class ExperimentView
{
    private const int BarWidth = 30;

    public static IRenderable Render(ExperimentStatus status)
    {
        var rows = new List<IRenderable>
        {
            new Markup($"[bold]{Markup.Escape(status.Id)}[/]  {Markup.Escape(status.ConfigName)}  {StateMarkup(status.State)}"
                       + (status.Restarts > 0 ? $"  [yellow]restarts: {status.Restarts}[/]" : "")),
        };
        if (status.Progress is { } p)
        {
            rows.Add(new Markup(Bar("epoch", p.Epoch, p.MaxEpochs)));
            rows.Add(new Markup(Bar("iter ", p.Iteration, p.ItersPerEpoch)));
            rows.Add(new Text(Numbers(p)));
        }
        else if (!status.State.IsTerminal())
        {
            rows.Add(new Text(status.Reason is { } reason ? Waiting(reason) : "waiting for the first iteration"));
        }
        if (status.Workers.Count > 0) rows.Add(Workers(status));
        if (status.Metrics.Count > 0) rows.Add(new Text($"val: {Format.Metrics(status.Metrics)}"));
        if (status.Best is { } best) rows.Add(new Text($"best {Format.Best(best)}"));
        if (status.State.IsTerminal()) rows.Add(new Markup(StateMarkup(status.State) + " " + Markup.Escape(Format.Outcome(status))));
        return new Rows(rows);
    }

    /// <summary>A reason that already says what it waits for ("waiting for workers: 1 of min 2 free") is shown as it is.</summary>
    private static string Waiting(string reason) =>
        reason.StartsWith("waiting", StringComparison.Ordinal) ? reason : $"waiting: {reason}";

    private static Table Workers(ExperimentStatus status)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("rank", "device", "silo", "worker")
            .Title(Markup.Escape(Group(status)));
        foreach (var worker in status.Workers.OrderBy(w => w.Rank))
            table.AddRow(worker.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(worker.Device),
                Markup.Escape(worker.Silo), Markup.Escape(worker.WorkerKey));
        return table;
    }

    /// <summary>"group generation 3: 2 workers (min 1, max 4)"; the range only when it is one.</summary>
    internal static string Group(ExperimentStatus s) => FormattableString.Invariant(
        $"group generation {s.Generation}: {s.Workers.Count} worker{(s.Workers.Count == 1 ? "" : "s")}")
        + (s.MinWorkers > 0 && s.MinWorkers != s.RequestedWorkers
            ? FormattableString.Invariant($" (min {s.MinWorkers}, max {s.RequestedWorkers})")
            : FormattableString.Invariant($" of {s.RequestedWorkers}"));

    internal static string Numbers(LiveProgress p) => FormattableString.Invariant(
        $"loss {p.Loss:0.0000}  lr {p.LearningRate:0.0000e+00}  clips/s {p.ClipsPerSecond:0.0}  ETA {Format.Span(p.Eta)}");

    private static string Bar(string label, int done, int total)
    {
        double fraction = total <= 0 ? 0 : Math.Clamp((double)done / total, 0, 1);
        int filled = (int)Math.Round(fraction * BarWidth);
        return FormattableString.Invariant(
            $"{label} [green]{new string('━', filled)}[/][grey]{new string('━', BarWidth - filled)}[/] {done}/{total} {fraction * 100,3:0}%");
    }

    private static string StateMarkup(ExperimentState state) => state switch
    {
        ExperimentState.Completed => "[green]Completed[/]",
        ExperimentState.Failed => "[red]Failed[/]",
        ExperimentState.Cancelled => "[yellow]Cancelled[/]",
        ExperimentState.Running => "[blue]Running[/]",
        _ => state.ToString(),
    };
}
