using System.Text.Json;
using Cluster.Abstractions.Experiments;

namespace Cluster.Client.Commands.Experiments;

/// <summary>
/// The one-line JSON of an experiment that <c>status --json</c>, <c>train --json</c> and <c>demo --json</c> print last.
/// <c>status</c> is the state in lower case (as the in-process <c>train --json</c>); metrics use ResultJson's aliases.
/// </summary>
internal static class ExperimentJson
{
    public static string For(ExperimentStatus status) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["id"] = status.Id,
        ["status"] = status.State.ToString().ToLowerInvariant(),
        ["state"] = status.State.ToString(),
        ["reason"] = status.Reason,
        ["config"] = status.ConfigName,
        ["epoch"] = status.Progress?.Epoch ?? (status.History.Count > 0 ? status.History.Max(h => h.Epoch) : 0),
        ["max_epochs"] = status.Progress?.MaxEpochs,
        ["iteration"] = status.Progress?.GlobalIteration,
        ["metrics"] = ResultJson.Metrics(status.Metrics),
        ["best"] = status.Best is { } best ? new Dictionary<string, object?> { ["name"] = best.Name, ["value"] = best.Value, ["epoch"] = best.Epoch } : null,
        ["best_checkpoint"] = Checkpoints.Best(status)?.Uri,
        ["latest_checkpoint"] = Checkpoints.Latest(status)?.Uri,
        ["checkpoints"] = status.Checkpoints.Select(c => new Dictionary<string, object?>
        {
            ["uri"] = c.Uri, ["sha256"] = c.Sha256, ["bytes"] = c.Bytes, ["epoch"] = c.Epoch, ["iteration"] = c.Iteration, ["best"] = c.IsBest,
        }).ToList(),
        ["artifacts"] = status.ArtifactsLocation,
        ["workers"] = status.Workers.OrderBy(w => w.Rank).Select(w => new Dictionary<string, object?>
        {
            ["rank"] = w.Rank, ["worker"] = w.WorkerKey, ["silo"] = w.Silo, ["device"] = w.Device,
        }).ToList(),
        ["generation"] = status.Generation,
        ["min_workers"] = status.MinWorkers,
        ["max_workers"] = status.RequestedWorkers,
        ["restarts"] = status.Restarts,
        ["grain_silo"] = status.GrainSilo,
        ["created"] = status.CreatedAt,
        ["started"] = status.StartedAt,
        ["ended"] = status.EndedAt,
    });
}
