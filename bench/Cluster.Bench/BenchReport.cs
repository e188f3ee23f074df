using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cluster.Bench;

/// <summary>
/// One measured figure: <see cref="Value"/> and <see cref="Baseline"/> are medians over repeats. <see cref="Ratio"/> is
/// oriented so that higher is better for the engine: value / baseline for throughputs, baseline / value for times. Rows without a baseline (a fraction, say) carry only a goal on the value.
/// </summary>
public sealed record BenchRow(string Benchmark, string Measure, double Value, string Unit, double? Baseline,
    string? BaselineName, double? Ratio, string? Goal, bool? MeetsGoal)
{
    /// <summary>Every repeat behind <see cref="Value"/> and <see cref="Baseline"/> (their medians), in run order.</summary>
    public IReadOnlyList<double>? ValueRepeats { get; init; }
    public IReadOnlyList<double>? BaselineRepeats { get; init; }

    /// <summary>A throughput (higher is better) against a baseline throughput: ratio = value / baseline, the median
    /// over back-to-back pairs of repeats. Without <paramref name="minRatio"/> the row informs and has no goal.</summary>
    public static BenchRow Throughput(string benchmark, string measure, Samples value, string unit, Samples baseline,
        string baselineName, double? minRatio) =>
        Compared(benchmark, measure, value, unit, baseline, baselineName, value.MedianRatioTo(baseline), minRatio);

    /// <summary>A time (lower is better) against a baseline time: ratio = baseline / value, paired like
    /// <see cref="Throughput"/>; without <paramref name="minRatio"/> the row informs.</summary>
    public static BenchRow Time(string benchmark, string measure, Samples value, string unit, Samples baseline,
        string baselineName, double? minRatio) =>
        Compared(benchmark, measure, value, unit, baseline, baselineName, baseline.MedianRatioTo(value), minRatio);

    /// <summary>A figure with an upper bound and no baseline.</summary>
    public static BenchRow AtMost(string benchmark, string measure, Samples value, string unit, double max) =>
        new(benchmark, measure, value.Median, unit, null, null, null, $"≤ {Number(max)}", value.Median <= max)
        {
            ValueRepeats = value.Values,
        };

    /// <summary>A figure reported for information only.</summary>
    public static BenchRow Info(string benchmark, string measure, Samples value, string unit) =>
        new(benchmark, measure, value.Median, unit, null, null, null, null, null) { ValueRepeats = value.Values };

    private static BenchRow Compared(string benchmark, string measure, Samples value, string unit, Samples baseline,
        string baselineName, double ratio, double? minRatio) =>
        new(benchmark, measure, value.Median, unit, baseline.Median, baselineName, ratio,
            minRatio is { } min ? $"ratio ≥ {Number(min)}" : null, minRatio is { } bound ? ratio >= bound : null)
        {
            ValueRepeats = value.Values,
            BaselineRepeats = baseline.Values,
        };

    internal static string Number(double value) =>
        value.ToString(Math.Abs(value) >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture);
}

/// <summary>Prints the rows as a table and writes them as JSON.</summary>
public static class BenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print(TextWriter output, IReadOnlyList<BenchRow> rows)
    {
        string[] header = ["benchmark", "measure", "value", "baseline", "ratio", "goal", "ok"];
        var cells = rows.Select(r => new[]
        {
            r.Benchmark, r.Measure, $"{BenchRow.Number(r.Value)} {r.Unit}",
            r.Baseline is { } baseline ? $"{BenchRow.Number(baseline)} ({r.BaselineName})" : "-",
            r.Ratio?.ToString("0.000", CultureInfo.InvariantCulture) ?? "-", r.Goal ?? "-",
            r.MeetsGoal switch { true => "yes", false => "NO", null => "-" },
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        output.WriteLine(string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            output.WriteLine(string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))));
    }

    public static void PrintEnvironment(TextWriter output, IReadOnlyDictionary<string, string> environment)
    {
        foreach (var (key, value) in environment)
            output.WriteLine($"{key}: {value}");
    }

    public static void WriteJson(string path, IReadOnlyList<BenchRow> rows, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new { time = DateTimeOffset.UtcNow, environment, rows };
        File.WriteAllText(path, JsonSerializer.Serialize(document, JsonOptions));
    }
}
