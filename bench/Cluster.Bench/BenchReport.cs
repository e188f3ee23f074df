using System.Globalization;
using System.Text.Json;

namespace Cluster.Bench;

/// <summary>One measured figure, with the baseline it is compared to (measured in the same run) and the goal.</summary>
public sealed record BenchRow(string Benchmark, string Measure, double Value, string Unit, double Baseline,
    string BaselineName, double Ratio, string Goal, bool MeetsGoal);

/// <summary>Prints the rows as a table and writes them as JSON.</summary>
public static class BenchReport
{
    public static void Print(TextWriter output, IReadOnlyList<BenchRow> rows)
    {
        string[] header = ["benchmark", "measure", "value", "baseline", "ratio", "goal", "ok"];
        var cells = rows.Select(r => new[]
        {
            r.Benchmark, r.Measure, $"{Format(r.Value)} {r.Unit}", $"{Format(r.Baseline)} ({r.BaselineName})",
            r.Ratio.ToString("0.000", CultureInfo.InvariantCulture), r.Goal, r.MeetsGoal ? "yes" : "NO",
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        output.WriteLine(string.Join(" | ", header.Select((h, i) => h.PadRight(widths[i]))));
        output.WriteLine(string.Join("-+-", widths.Select(w => new string('-', w))));
        foreach (var row in cells)
            output.WriteLine(string.Join(" | ", row.Select((c, i) => c.PadRight(widths[i]))));
    }

    public static void WriteJson(string path, IReadOnlyList<BenchRow> rows, IReadOnlyDictionary<string, string> environment)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var document = new { time = DateTimeOffset.UtcNow, environment, rows };
        File.WriteAllText(path, JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Format(double value) => value.ToString(value >= 100 ? "0.0" : "0.000", CultureInfo.InvariantCulture);
}
