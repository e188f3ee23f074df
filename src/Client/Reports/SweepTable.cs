using Cluster.Abstractions.Sweeps;

namespace Cluster.Client.Reports;

/// <summary>One row of the results table: a trial as the report files list it.</summary>
/// <param name="Epochs">The last epoch the trial validated (0: none).</param>
/// <param name="Checkpoint">Its best checkpoint's URI, once its experiment stored one.</param>
internal sealed record TrialRow(
    string Id,
    int Index,
    IReadOnlyDictionary<string, string> Parameters,
    TrialState State,
    string? Reason,
    int Epochs,
    double? LastMetric,
    double? BestMetric,
    bool IsBest,
    string? ExperimentId,
    string? Checkpoint,
    IReadOnlyList<MetricPoint> History);

/// <summary>A sweep's trials as rows, and the parameter columns they share (what the CSV, the JSON and the plots read).</summary>
internal sealed record SweepTable(SweepStatus Sweep, IReadOnlyList<string> ParameterKeys, IReadOnlyList<TrialRow> Rows)
{
    public static SweepTable From(SweepStatus sweep)
    {
        // The search space's order, then any key only a trial names (a status from before the space was recorded).
        var keys = sweep.SearchSpace.Keys.ToList();
        foreach (var key in sweep.Trials.SelectMany(t => t.Parameters.Keys))
            if (!keys.Contains(key)) keys.Add(key);
        var rows = sweep.Trials.OrderBy(t => t.Index).Select(t =>
        {
            bool isBest = sweep.Best?.TrialId == t.Id;
            var checkpoint = t.Checkpoint ?? (isBest ? sweep.Best!.Checkpoint : null);
            return new TrialRow(t.Id, t.Index, t.Parameters, t.State, t.Reason, t.Epoch, t.LastMetric, t.BestMetric, isBest,
                t.ExperimentId, checkpoint?.Uri, t.History);
        }).ToList();
        return new SweepTable(sweep, keys, rows);
    }

    /// <summary>The trial's short name in plots: <c>t003</c>.</summary>
    public static string ShortName(TrialRow row) => $"t{row.Index:000}";

    /// <summary>
    /// Whether the key is drawn on a log axis: it was searched log-uniformly, or, for a status that does not say how it
    /// was searched, its values are positive numbers spread over a factor of 20 or more.
    /// </summary>
    public bool IsLogScale(string key)
    {
        if (KindOf(key) is { } kind) return kind == "loguniform";
        var values = Rows.Select(r => r.Parameters.TryGetValue(key, out var text) ? ParameterValue.Number(text) : null).ToList();
        return values.Count > 1 && values.All(v => v > 0) && values.Max()!.Value / values.Min()!.Value >= 20;
    }

    /// <summary>Whether the key was searched over listed values (choice, grid): one tick per value.</summary>
    public bool IsCategorical(string key) => KindOf(key) is "choice" or "grid";

    private string? KindOf(string key) => Sweep.SearchSpace.TryGetValue(key, out var kind) ? kind.ToLowerInvariant() : null;
}
