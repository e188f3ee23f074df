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
            rows.Add(new Text(status.Reason is { } waiting ? $"waiting: {waiting}" : "waiting for the first iteration"));
        }
        if (status.Workers.Count > 0) rows.Add(Workers(status));
        if (status.Metrics.Count > 0) rows.Add(new Text($"val: {Format.Metrics(status.Metrics)}"));
        if (status.Best is { } best) rows.Add(new Text($"best {Format.Best(best)}"));
        if (status.State.IsTerminal()) rows.Add(new Markup(StateMarkup(status.State) + " " + Markup.Escape(Format.Outcome(status))));
        return new Rows(rows);
    }

    private static Table Workers(ExperimentStatus status)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("rank", "device", "silo", "worker");
        foreach (var worker in status.Workers.OrderBy(w => w.Rank))
            table.AddRow(worker.Rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(worker.Device),
                Markup.Escape(worker.Silo), Markup.Escape(worker.WorkerKey));
        return table;
    }

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
