using System.Globalization;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Client.Commands;

/// <summary>
/// How `cluster test` shows AVA frame mAP (<see cref="AvaMetric"/>'s keys): the summary line keeps mAP and the
/// category means, and a table lists each class's AP then the three category means. Metrics without
/// <see cref="AvaMetric.MapKey"/> (recognisers') pass through unchanged and get no table.
/// </summary>
internal static class DetectionMetricsTable
{
    private static readonly (string Key, string Label)[] Categories =
    [
        (AvaMetric.PersonMovementKey, "person movement"),
        (AvaMetric.ObjectManipulationKey, "object manipulation"),
        (AvaMetric.PersonInteractionKey, "person interaction"),
    ];

    public static bool Applies(IReadOnlyDictionary<string, double> metrics) => metrics.ContainsKey(AvaMetric.MapKey);

    /// <summary>The metrics for the one-line summary: without the per-class APs when the table shows them.</summary>
    public static IReadOnlyDictionary<string, double> Summary(IReadOnlyDictionary<string, double> metrics) =>
        Applies(metrics)
            ? metrics.Where(m => !m.Key.StartsWith(AvaMetric.ClassKeyPrefix, StringComparison.Ordinal)).ToDictionary()
            : metrics;

    public static void Write(TextWriter log, IReadOnlyDictionary<string, double> metrics)
    {
        if (!Applies(metrics)) return;
        var classes = metrics.Where(m => m.Key.StartsWith(AvaMetric.ClassKeyPrefix, StringComparison.Ordinal))
            .Select(m => (Name: m.Key[AvaMetric.ClassKeyPrefix.Length..], m.Value)).ToList();
        var rows = classes.Select(c => (c.Name, Value: Format(c.Value)))
            .Append((Name: "", Value: ""))
            .Concat(Categories.Select(c => (Name: $"mAP {c.Label}", Value: metrics.TryGetValue(c.Key, out double v) ? Format(v) : "n/a")))
            .Append((Name: "mAP overall", Value: Format(metrics[AvaMetric.MapKey])))
            .ToList();
        int width = Math.Max("class".Length, rows.Max(r => r.Name.Length));
        log.WriteLine($"{"class".PadRight(width)}  AP@0.5IOU");
        foreach (var (name, value) in rows)
            log.WriteLine(name.Length == 0 ? "" : $"{name.PadRight(width)}  {value.PadLeft(9)}");
        if (classes.Count == 0) log.WriteLine("(no class had detections on annotated keyframes)");
    }

    private static string Format(double value) => value.ToString("0.0000", CultureInfo.InvariantCulture);
}
