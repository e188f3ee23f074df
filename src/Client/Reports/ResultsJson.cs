using System.Text.Json;

namespace Cluster.Client.Reports;

/// <summary>
/// <c>results.json</c>, and the one line <c>cluster sweep status --json</c> prints: the sweep (id, name, state, metric,
/// mode, best) and its trials, one object each with the same fields as the CSV plus the metric history; parameter values
/// typed (numbers as numbers).
/// </summary>
internal static class ResultsJson
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Write(SweepTable table, bool indented = true)
    {
        var sweep = table.Sweep;
        return JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["sweep"] = sweep.Id,
            ["name"] = sweep.Name,
            // "status" in lower case as every --json result line has it; "state" as the enum names it.
            ["status"] = sweep.State.ToString().ToLowerInvariant(),
            ["state"] = sweep.State.ToString(),
            ["reason"] = sweep.Reason,
            ["planned_trials"] = sweep.PlannedTrials,
            ["max_concurrent_trials"] = sweep.MaxConcurrentTrials,
            ["workers_per_trial"] = sweep.WorkersPerTrial,
            ["created"] = sweep.CreatedAt,
            ["ended"] = sweep.EndedAt,
            ["metric"] = sweep.Metric,
            ["mode"] = sweep.Mode,
            ["search_alg"] = sweep.SearchAlgorithm,
            ["scheduler"] = sweep.Scheduler,
            ["search_space"] = sweep.SearchSpace,
            ["best"] = sweep.Best is { } best ? new Dictionary<string, object?>
            {
                ["trial"] = best.TrialId, ["metric"] = best.Metric, ["epoch"] = best.Epoch,
                ["parameters"] = Typed(best.Parameters), ["experiment"] = best.ExperimentId, ["checkpoint"] = best.Checkpoint?.Uri,
            } : null,
            ["trials"] = table.Rows.Select(row => new Dictionary<string, object?>
            {
                ["trial"] = row.Id,
                ["index"] = row.Index,
                ["parameters"] = Typed(row.Parameters),
                ["state"] = row.State.ToString().ToLowerInvariant(),
                ["reason"] = row.Reason,
                ["epochs"] = row.Epochs,
                ["last_metric"] = row.LastMetric,
                ["best_metric"] = row.BestMetric,
                ["best"] = row.IsBest,
                ["experiment"] = row.ExperimentId,
                ["checkpoint"] = row.Checkpoint,
                ["history"] = row.History.Select(p => new Dictionary<string, object> { ["epoch"] = p.Epoch, ["value"] = p.Value }).ToList(),
            }).ToList(),
        }, indented ? Indented : JsonSerializerOptions.Default);
    }

    private static Dictionary<string, object> Typed(IReadOnlyDictionary<string, string> parameters) =>
        parameters.ToDictionary(p => p.Key, p => ParameterValue.Typed(p.Value));
}
