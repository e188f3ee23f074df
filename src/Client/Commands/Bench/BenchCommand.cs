using System.CommandLine;
using System.Globalization;
using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Workers;
using Cluster.Client.Views;

namespace Cluster.Client.Commands.Bench;

/// <summary>
/// `cluster bench allreduce`: leases N free slots, runs an all-reduce benchmark on all of them at once (each slot on
/// its own thread, over the backend a data-parallel run would use) and prints time and bandwidth per buffer size.
/// </summary>
internal static class BenchCommand
{
    private const double MiB = 1024 * 1024;

    public static Command Create(TextWriter output, TextWriter error)
    {
        var bench = new Command("bench", "Measure the cluster's collectives");
        bench.Subcommands.Add(AllReduce(output, error));
        return bench;
    }

    private static Command AllReduce(TextWriter output, TextWriter error)
    {
        var workers = new Option<int>("--workers") { Description = "Slots taking part (free ones, all of one kind)", DefaultValueFactory = _ => 2 };
        var sizes = new Option<string>("--sizes-mb") { Description = "Buffer sizes in MiB, comma-separated", DefaultValueFactory = _ => "4,25,100" };
        var iterations = new Option<int>("--iterations") { Description = "Timed all-reduces per size", DefaultValueFactory = _ => 5 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed all-reduces per size first", DefaultValueFactory = _ => 1 };
        var backend = new Option<string>("--backend") { Description = "auto (NCCL when all slots are CUDA), ring or nccl", DefaultValueFactory = _ => "auto" };
        var chunk = new Option<double>("--chunk-size-mb") { Description = "The ring's message size in MiB (default: distributed.chunk_size_mb's, 4)" };
        var timeout = new Option<double>("--timeout") { Description = "Seconds one all-reduce may wait for a peer", DefaultValueFactory = _ => 120 };
        var gateway = ClusterOptions.Gateway();
        var json = CommonOptions.Json();
        var command = new Command("allreduce", "All-reduce time, algorithm and bus bandwidth (nccl-tests' definitions) across N slots")
        {
            workers, sizes, iterations, warmup, backend, chunk, timeout, gateway, json,
        };
        command.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            int n = parse.GetValue(workers);
            if (n < 2) throw new ArgumentException($"--workers must be at least 2, got {n}");
            var sizesBytes = ParseSizes(parse.GetValue(sizes)!);
            if (parse.GetValue(iterations) < 1) throw new ArgumentException($"--iterations must be at least 1, got {parse.GetValue(iterations)}");
            if (parse.GetValue(warmup) < 0) throw new ArgumentException($"--warmup must not be negative, got {parse.GetValue(warmup)}");
            string backendName = parse.GetValue(backend)!;
            if (backendName is not ("auto" or "ring" or "nccl")) throw new ArgumentException($"--backend must be auto, ring or nccl, got '{backendName}'");
            if (parse.GetValue(chunk) < 0) throw new ArgumentException($"--chunk-size-mb must not be negative, got {parse.GetValue(chunk)}");
            if (!(parse.GetValue(timeout) > 0)) throw new ArgumentException($"--timeout must be positive, got {parse.GetValue(timeout)}");

            using var cancellation = new CtrlC();
            await using var connection = await ClusterOptions.Connect(parse, gateway, cancellation.Token);
            var registry = connection.Client.GetGrain<IClusterRegistryGrain>(0);
            string groupId = $"bench-allreduce-{Guid.NewGuid():N}"[..24];
            var slots = await registry.Allocate(groupId, n, n, null);
            try
            {
                if (slots.Count < n) throw new ArgumentException($"--workers {n}: the cluster has {await FreeSlots(registry)} free slots (a benchmark takes {n} of one kind)");
                var peers = slots.Select(s => s.WorkerKey).ToList();
                var spec = new AllReduceBenchmarkSpec(groupId, 1, peers, 0, sizesBytes, parse.GetValue(iterations), parse.GetValue(warmup),
                    backendName, parse.GetValue(chunk), parse.GetValue(timeout));
                var ranks = await Task.WhenAll(peers.Select((peer, rank) =>
                    connection.Client.GetGrain<IGpuWorkerGrain>(peer).BenchmarkAllReduce(spec with { Rank = rank }))).WaitAsync(cancellation.Token);
                var rows = AllReduceRow.From(ranks);
                if (parse.GetValue(json)) output.WriteLine(AllReduceReport.Json(ranks[0].Describe, peers, spec.Iterations, rows));
                else Consoles.For(output, Consoles.IsInteractive(output, false)).Write(AllReduceReport.Table(ranks[0].Describe, rows));
                if (rows.FirstOrDefault(r => !r.Checked) is { } wrong)
                {
                    error.WriteLine($"error: the all-reduce of {wrong.Bytes} bytes did not give the exact sums");
                    return CommandErrors.Failed;
                }
                return 0;
            }
            finally
            {
                await registry.Release(groupId);
            }
        }, parse.GetValue(json) ? output : null));
        return command;
    }

    private static List<long> ParseSizes(string text)
    {
        var sizes = new List<long>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!double.TryParse(part, NumberStyles.Float, CultureInfo.InvariantCulture, out double mb) || !(mb > 0) || mb * MiB > Array.MaxLength)
                throw new ArgumentException($"--sizes-mb: '{part}' is not a size between 0 and 2048 MiB");
            sizes.Add(Math.Max(sizeof(float), (long)(mb * MiB) / sizeof(float) * sizeof(float)));
        }
        return sizes;
    }

    private static async Task<int> FreeSlots(IClusterRegistryGrain registry)
    {
        var view = await registry.GetView();
        return view.Silos.Where(s => s.Alive).Sum(s => s.Slots.Count(slot => slot.ExperimentId is null));
    }
}
