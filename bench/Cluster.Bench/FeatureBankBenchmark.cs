using System.Diagnostics;
using System.Text.Json;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;
using Cluster.Tests.Infrastructure;
using Cluster.Tests.LfbCluster;
using Cluster.Training.BankJobs;
using Cluster.Training.Configs;
using Cluster.Training.Data;
using Cluster.Training.Data.Loading;
using Cluster.Training.Engine;
using Cluster.Training.Models;
using Cluster.Training.Models.Detectors;
using TorchSharp;

namespace Cluster.Bench;

/// <summary>
/// Feature-bank computation through the cluster against the raw backbone forward on the same data, in the same run.
/// <list type="bullet">
/// <item><b>cluster</b>: <c>cluster lfb compute</c> of the val split of a synthetic AVA set (the tests' tiny FastRCNN,
/// 64 px, 8 frames) on a local cluster of two silo processes (one CPU slot, one torch thread each), sharded; features/s
/// = person features in the bank / time from the first shard handed out to the merged bank stored (what the bank's
/// status reports). Each repeat is a new bank id, so everything is computed again; one unmeasured bank warms the silos
/// up first.</item>
/// <item><b>raw backbone</b>: in this process with one torch thread, the same model's backbone forward
/// (<c>FastRCNN.Features</c>, no RoIAlign or head) over the same keyframes' clips, loaded and decoded beforehand;
/// features/s = the same person count / forward time.</item>
/// </list>
/// The ratio is cluster / raw: two slots could reach 2; what it falls short of is the cost of decoding, RoI features,
/// sharding, storage and scheduling. The per-slot row (features over the workers' summed compute time per shard)
/// splits that cost: what a slot loses computing a shard against the bare forward, and what the rest (hand-outs,
/// uploads, merge, two silos on a shared machine) costs on top.
/// </summary>
public static class FeatureBankBenchmark
{
    public const string Name = "feature bank";

    public sealed record Settings(int Videos, int Seconds, int Shards, int Repeats);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        using var data = BankTestSet.Create("bench-bank-", videos: settings.Videos, seconds: settings.Seconds, root: workDir);
        var cluster = LocalCluster.StartAsync(silos: 2).GetAwaiter().GetResult();
        try
        {
            // Warm-up: the silos' first shard loads TorchSharp's natives and JITs the model code.
            ClusterFeaturesPerSecond(cluster, data, settings.Shards, "bench-warmup", new Samples(), new Samples());
            RawBackboneFeaturesPerSecond(data);
            int run = 0;
            var endToEnd = new Samples();
            var perSlot = new Samples();
            var samples = Alternation.Run(settings.Repeats,
                () => ClusterFeaturesPerSecond(cluster, data, settings.Shards, $"bench-{++run}", endToEnd, perSlot),
                () => RawBackboneFeaturesPerSecond(data));
            var (throughCluster, raw) = (samples[0], samples[1]);
            return
            [
                BenchRow.Throughput(Name, $"features/s: cluster (2 silos × 1 thread, {settings.Shards} shards) vs raw backbone forward",
                    throughCluster, "features/s", raw, "backbone forward, 1 thread, this process", minRatio: null),
                BenchRow.Info(Name, "features/s: cluster, submit to merged bank (client's wall clock)", endToEnd, "features/s"),
                BenchRow.Info(Name, "features/s per slot while computing a shard (Σ features / Σ shard compute seconds)", perSlot, "features/s"),
            ];
        }
        finally
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private static double ClusterFeaturesPerSecond(LocalCluster cluster, BankTestSet data, int shards, string id, Samples endToEnd,
        Samples perSlot)
    {
        cluster.EnsureRunningAsync(2).GetAwaiter().GetResult();
        var output = new StringWriter();
        var error = new StringWriter();
        var clock = Stopwatch.StartNew();
        int code = Cluster.Client.CommandLine.Run(["lfb", "compute", data.ConfigPath, "--split", "val", "--bank", id,
            "--shards", shards.ToString(), "--device", "cpu", "--gateway", cluster.GatewaysAsync().GetAwaiter().GetResult(), "--json"], output, error);
        double seconds = clock.Elapsed.TotalSeconds;
        if (code != 0) throw new InvalidOperationException($"lfb compute {id} exited {code}: {error}\n{cluster.Diagnostics()}");
        using var json = JsonDocument.Parse(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        long features = json.RootElement.GetProperty("features").GetInt64();
        endToEnd.Add(features / seconds);
        // The workers' own time per shard (config, model and weights, dataset, decoding, forward, RoI features; not
        // the upload), as each shard grain recorded it with the part.
        var status = cluster.Client.GetGrain<IFeatureBankGrain>(id).GetStatus().GetAwaiter().GetResult().Split("val")!;
        double computing = status.Shards.Sum(shard => cluster.Client.GetGrain<IDatasetShardGrain>(shard.Key).GetBankWork(id)
            .GetAwaiter().GetResult()!.Part!.Seconds);
        perSlot.Add(features / computing);
        return json.RootElement.GetProperty("features_per_second").GetDouble();
    }

    private static double RawBackboneFeaturesPerSecond(BankTestSet data)
    {
        int threads = torch.get_num_threads();
        torch.set_num_threads(1);
        try
        {
            var input = BankInput.From(ConfigLoader.Load(data.ConfigPath), "val");
            using var model = ModelBuilder.Build(input.Config.Model, loader: null);
            var detector = (FastRCNN)model;
            detector.eval();
            using var loader = DataLoaderFactory.Build(input.Loader, 0, input.Config.Model.DataPreprocessor);
            var batches = loader.ReadEpoch(0).ToList();
            try
            {
                long persons = batches.Sum(b => (long)b.Detection!.Count);
                using var noGrad = torch.no_grad();
                var device = torch.CPU;
                using (detector.Features(batches[0], device)) { } // warm-up
                var clock = Stopwatch.StartNew();
                foreach (var batch in batches)
                    using (detector.Features(batch, device)) { }
                return persons / clock.Elapsed.TotalSeconds;
            }
            finally
            {
                foreach (var batch in batches) batch.Dispose();
            }
        }
        finally
        {
            torch.set_num_threads(threads);
        }
    }
}
