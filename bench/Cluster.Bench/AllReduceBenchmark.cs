using System.Globalization;
using System.Text.Json;
using Cluster.Tests.Infrastructure;

namespace Cluster.Bench;

/// <summary>
/// All-reduce bus bandwidth between worker grains in separate silo processes on loopback (the ring over Orleans
/// calls, through <c>cluster bench allreduce --json</c>), against raw loopback TCP throughput of the same bytes measured
/// in this process in alternation: N connections at once, each carrying what one rank sends (<see cref="LoopbackTcpRing"/>,
/// the goal's baseline), and one connection alone (<see cref="LoopbackTcp"/>, for information). Bus bandwidth follows
/// nccl-tests: algbw × 2(N−1)/N, algbw = bytes / mean time of one all-reduce.
/// </summary>
public static class AllReduceBenchmark
{
    public const string Name = "all-reduce";
    private const double MiB = 1024 * 1024;

    /// <param name="Repeats">Measurements per cell, each one command call (I iterations) then one TCP transfer.</param>
    public sealed record Settings(IReadOnlyList<int> Workers, IReadOnlyList<int> SizesMb, int Iterations, int Repeats);

    public static IReadOnlyList<BenchRow> Run(Settings settings)
    {
        var cluster = LocalCluster.StartAsync(silos: settings.Workers.Max()).GetAwaiter().GetResult();
        try
        {
            cluster.EnsureRunningAsync(settings.Workers.Max()).GetAwaiter().GetResult();
            string gateways = cluster.GatewaysAsync().GetAwaiter().GetResult();
            using var tcp = new LoopbackTcp();
            // Freshly started silos spend their first minutes JIT-compiling (tiered compilation re-JITs every warm
            // method in the background); a collective in a training run meets warm silos, so warm every silo up once
            // with every size, untimed.
            MeanSeconds(gateways, settings.Workers.Max(), settings.SizesMb, settings.Iterations, cluster);
            var rows = new List<BenchRow>();
            foreach (int workers in settings.Workers)
            {
                using var ring = new LoopbackTcpRing(workers);
                foreach (int sizeMb in settings.SizesMb)
                {
                    int bytes = (int)(sizeMb * MiB);
                    int perLink = (int)LoopbackTcpRing.BytesPerLink(bytes, workers);
                    tcp.Transfer(bytes); // warm-up: the connections' buffers grow on first use
                    ring.Transfer(perLink);
                    var bus = new Samples();
                    var links = new Samples();
                    var single = new Samples();
                    for (int repeat = 0; repeat < settings.Repeats; repeat++)
                    {
                        // Alternate which side goes first, so a slow phase of the machine hits both.
                        if (repeat % 2 == 1) MeasureTcp();
                        double seconds = MeanSeconds(gateways, workers, [sizeMb], settings.Iterations, cluster)[0];
                        bus.Add(bytes / seconds * 2 * (workers - 1) / workers / MiB);
                        if (repeat % 2 == 0) MeasureTcp();
                    }
                    rows.Add(BenchRow.Throughput(Name, $"bus bandwidth, {workers} workers, {sizeMb} MiB", bus, "MiB/s", links,
                        $"loopback TCP, {workers} links at once", minRatio: 0.5));
                    rows.Add(BenchRow.Throughput(Name, $"  the same against one TCP link alone", bus, "MiB/s", single,
                        "loopback TCP, 1 link", minRatio: null));

                    void MeasureTcp()
                    {
                        links.Add(ring.MeanThroughput(perLink, settings.Iterations) / MiB);
                        single.Add(tcp.MeanThroughput(bytes, settings.Iterations) / MiB);
                    }
                }
            }
            return rows;
        }
        finally
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    /// <summary>The mean seconds of one all-reduce of each of <paramref name="sizesMb"/> MiB over
    /// <paramref name="workers"/> workers, as the command measured it (after its warm-up); the command also checks the
    /// reduced values.</summary>
    private static double[] MeanSeconds(string gateways, int workers, IReadOnlyList<int> sizesMb, int iterations, LocalCluster cluster)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        string[] args = ["bench", "allreduce", "--workers", workers.ToString(CultureInfo.InvariantCulture),
            "--sizes-mb", string.Join(',', sizesMb.Select(size => size.ToString(CultureInfo.InvariantCulture))), "--iterations", iterations.ToString(CultureInfo.InvariantCulture),
            "--json", "--gateway", gateways];
        int code = Cluster.Client.CommandLine.Run(args, output, error);
        if (code != 0)
            throw new InvalidOperationException($"cluster {string.Join(' ', args)} exited {code}: {error}\n{cluster.Diagnostics()}");
        return sizesMb.Select(size => ParseMeanSeconds(output.ToString(), (long)(size * MiB))).ToArray();
    }

    /// <summary>The command's JSON line: <c>{"results": [{"size_bytes": ..., "time_s": ..., "exact": true}, ...]}</c>;
    /// time_s is the slowest rank's mean over the iterations (a collective ends when its last rank does).</summary>
    internal static double ParseMeanSeconds(string json, long bytes)
    {
        using var document = JsonDocument.Parse(json.Trim().Split('\n')[^1]);
        foreach (var result in document.RootElement.GetProperty("results").EnumerateArray())
        {
            // The command rounds a size down to whole float32 elements.
            if (Math.Abs(result.GetProperty("size_bytes").GetInt64() - bytes) >= sizeof(float)) continue;
            if (!result.GetProperty("exact").GetBoolean())
                throw new InvalidOperationException($"the all-reduce of {bytes} bytes did not give the exact sums: {json}");
            return result.GetProperty("time_s").GetDouble();
        }
        throw new InvalidOperationException($"no {bytes}-byte result in the command's JSON: {json}");
    }
}
