using System.Globalization;
using System.Text.Json;
using Cluster.Abstractions.Collectives;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Cluster.Client.Commands.Bench;

/// <summary>
/// One size of an all-reduce benchmark over all ranks: the time is the slowest rank's mean (a collective ends when its
/// last rank does); bandwidths as nccl-tests defines them, in GB/s (10^9 bytes): algorithm bandwidth = size / time,
/// bus bandwidth = algbw × 2(N−1)/N (what each link carries in a ring, comparable across N).
/// </summary>
internal sealed record AllReduceRow(long Bytes, double Seconds, double MinSeconds, double AlgorithmGBps, double BusGBps, bool Checked)
{
    public static IReadOnlyList<AllReduceRow> From(IReadOnlyList<AllReduceBenchmarkResult> ranks)
    {
        int n = ranks.Count;
        return ranks[0].Timings.Select((timing, i) =>
        {
            var all = ranks.Select(r => r.Timings[i]).ToList();
            double seconds = all.Max(t => t.MeanSeconds);
            double algbw = timing.Bytes / seconds / 1e9;
            return new AllReduceRow(timing.Bytes, seconds, all.Max(t => t.MinSeconds), algbw, algbw * 2 * (n - 1) / n, all.All(t => t.Checked));
        }).ToList();
    }
}

/// <summary>The table and the JSON line of `cluster bench allreduce`.</summary>
internal static class AllReduceReport
{
    private const double MiB = 1024 * 1024;

    public static IRenderable Table(string describe, IReadOnlyList<AllReduceRow> rows)
    {
        var table = new Table().Border(TableBorder.Simple).AddColumns("size (MiB)", "time (ms)", "best (ms)", "algbw (GB/s)", "busbw (GB/s)", "sums");
        foreach (var row in rows)
            table.AddRow(Invariant($"{row.Bytes / MiB:0.###}"), Invariant($"{row.Seconds * 1e3:0.00}"), Invariant($"{row.MinSeconds * 1e3:0.00}"),
                Invariant($"{row.AlgorithmGBps:0.000}"), Invariant($"{row.BusGBps:0.000}"), row.Checked ? "exact" : "[red]WRONG[/]");
        return new Rows(new Text(describe), table);
    }

    public static string Json(string describe, IReadOnlyList<string> workers, int iterations, IReadOnlyList<AllReduceRow> rows) =>
        JsonSerializer.Serialize(new Dictionary<string, object?>
        {
            ["status"] = rows.All(r => r.Checked) ? "completed" : "failed",
            ["backend"] = describe,
            ["workers"] = workers,
            ["iterations"] = iterations,
            ["results"] = rows.Select(r => new Dictionary<string, object?>
            {
                ["size_bytes"] = r.Bytes,
                ["time_s"] = r.Seconds,
                ["best_time_s"] = r.MinSeconds,
                ["algbw_gbps"] = r.AlgorithmGBps,
                ["busbw_gbps"] = r.BusGBps,
                ["exact"] = r.Checked,
            }),
        });

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
