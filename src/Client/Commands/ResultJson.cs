using System.Text.Json;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands;

/// <summary>The one-line JSON object `--json` prints last. Metric names are MMAction2's with friendly aliases.</summary>
internal static class ResultJson
{
    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["acc/top1"] = "top1",
        ["acc/top5"] = "top5",
        ["acc/mean1"] = "mean_class_acc",
        ["acc/mean_average_precision"] = "mAP",
    };

    public static string ForTraining(TrainingResult result, WorkDirectory workDir) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["status"] = result.Status.ToString().ToLowerInvariant(),
        ["epochs"] = result.EpochsRun,
        ["iterations"] = result.IterationsRun,
        ["metrics"] = Metrics(result.Metrics),
        ["best_checkpoint"] = result.BestCheckpoint,
        ["best_score"] = result.BestScore,
        ["latest_checkpoint"] = workDir.LastCheckpoint(),
        ["work_dir"] = workDir.Path,
        ["stop_reason"] = result.StopReason,
    });

    public static string ForTest(IReadOnlyDictionary<string, double> metrics, string checkpoint) => JsonSerializer.Serialize(new Dictionary<string, object?>
    {
        ["status"] = "completed",
        ["checkpoint"] = checkpoint,
        ["metrics"] = Metrics(metrics),
    });

    public static string ForError(string message) =>
        JsonSerializer.Serialize(new Dictionary<string, object?> { ["status"] = "failed", ["error"] = message });

    internal static Dictionary<string, double> Metrics(IReadOnlyDictionary<string, double> metrics) =>
        metrics.ToDictionary(m => Aliases.GetValueOrDefault(m.Key) ?? m.Key.Replace("acc/", ""), m => m.Value);
}
