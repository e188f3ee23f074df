using System.Globalization;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Views;

/// <summary>The tables of `cluster list` and `cluster top`.</summary>
internal static class ClusterTables
{
    public static IRenderable Experiments(IReadOnlyList<ExperimentSummary> experiments)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("id", "config", "state", "epoch", "best", "created");
        foreach (var e in experiments.OrderBy(e => e.CreatedAt))
            table.AddRow(Markup.Escape(e.Id), Markup.Escape(e.ConfigName), e.State.ToString(),
                FormattableString.Invariant($"{e.Epoch}/{e.MaxEpochs}"),
                e.Best is { } best ? Markup.Escape(FormattableString.Invariant($"{best.Name} {best.Value:0.0000}")) : "-",
                Format.Time(e.CreatedAt));
        return experiments.Count == 0 ? new Text("no experiments") : table;
    }

    /// <summary>Silos with their slots (free, or the experiment leasing it), then the experiments that are not finished.</summary>
    public static IRenderable Top(ClusterView view, IReadOnlyList<ExperimentSummary> experiments)
    {
        var alive = view.Silos.Where(s => s.Alive).ToList();
        int slots = alive.Sum(s => s.Slots.Count);
        int busy = alive.Sum(s => s.Slots.Count(slot => slot.ExperimentId is not null));
        var silos = new Table().Border(TableBorder.Simple).AddColumns("silo", "address", "last seen", "slot", "kind", "device", "memory", "leased to");
        // Dead silos stay in the registry (an embedded silo leaves one behind per command); they are counted, not listed.
        int dead = view.Silos.Count(s => !s.Alive);
        foreach (var silo in view.Silos.Where(s => s.Alive).OrderBy(s => s.Silo.Name, StringComparer.Ordinal))
            foreach (var slot in silo.Slots.OrderBy(s => s.Slot.Device, StringComparer.Ordinal))
                silos.AddRow(Markup.Escape(silo.Silo.Name), Markup.Escape(silo.Silo.Address), Format.Time(silo.LastSeen),
                    Markup.Escape(slot.Slot.Device), slot.Slot.Kind, Markup.Escape(slot.Slot.DeviceName), Bytes(slot.Slot.MemoryBytes),
                    slot.ExperimentId is { } id ? Markup.Escape(id) : "[green]free[/]");
        var running = experiments.Where(e => !e.State.IsTerminal()).ToList();
        return new Rows(
            new Text(FormattableString.Invariant($"{alive.Count} silos alive ({dead} gone), {slots} slots: {slots - busy} free, {busy} busy  (at {Format.Time(view.At)})")),
            silos,
            running.Count == 0 ? new Text("no running experiments") : Experiments(running));
    }

    private static string Bytes(long bytes) => bytes <= 0 ? "-" : (bytes / (1024.0 * 1024 * 1024)).ToString("0.0 'GiB'", CultureInfo.InvariantCulture);
}
