namespace Cluster.Bench;

/// <summary>Command line: <c>[--quick] [--out PATH] [--threads N] [--only engine|loader|storage|grains|allreduce|dataparallel|sweeps|lfb|lfbcompare]</c>; null
/// <see cref="TorchThreads"/> keeps TorchSharp's default (one per core); null <see cref="Only"/> runs every benchmark.</summary>
public sealed record BenchOptions(bool Quick, string OutPath, int? TorchThreads, string? Only = null)
{
    public const string Usage = "usage: Cluster.Bench [--quick] [--out bench/results/engine.json] [--threads N] [--only engine|loader|storage|grains|allreduce|dataparallel|sweeps|lfb|lfbcompare]";
    public static readonly string[] Benchmarks = ["engine", "loader", "storage", "grains", "allreduce", "dataparallel", "sweeps", "lfb", "lfbcompare"];

    public bool Runs(string benchmark) => Only is null || Only == benchmark;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        bool quick = false;
        string? outPath = null;
        int? threads = null;
        string? only = null;
        for (int i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--quick":
                    quick = true;
                    break;
                case "--out" when i + 1 < args.Count:
                    outPath = args[++i];
                    break;
                case "--threads" when i + 1 < args.Count && int.TryParse(args[i + 1], out int count) && count > 0:
                    threads = count;
                    i++;
                    break;
                case "--only" when i + 1 < args.Count && Benchmarks.Contains(args[i + 1]):
                    only = args[++i];
                    break;
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}'; {Usage}");
            }
        }
        return new BenchOptions(quick, outPath ?? $"bench/results/{only ?? "engine"}.json", threads, only);
    }

    public IEnumerable<EngineStepBenchmark.Settings> EngineSteps => Quick
        ? [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 6, Repeats: 7)]
        : [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 10, Repeats: 21),
           new(BaseChannels: 32, WarmupSteps: 2, MeasuredSteps: 8, Repeats: 7)];

    public StorageThroughputBenchmark.Settings Storage => Quick
        ? new(SizesMiB: [64], Repeats: 3)
        : new(SizesMiB: [64, 256], Repeats: 5);

    public GrainOverheadBenchmark.Settings Grains => Quick
        ? new(VideosPerClass: 12, Epochs: 3, Repeats: 4)
        : new(VideosPerClass: 24, Epochs: 5, Repeats: 16);

    /// <summary>The issue's sizes in the full run; smaller ones in --quick.</summary>
    public SweepSchedulingBenchmark.Settings Sweeps => Quick
        ? new(TrialCounts: [20, 100])
        : new(TrialCounts: [100, 1000]);

    public LoaderThroughputBenchmark.Settings Loader => Quick
        ? new(VideosPerClass: 6, Repeats: 7)
        : new(VideosPerClass: 12, Repeats: 15);

    public AllReduceBenchmark.Settings AllReduce => Quick
        ? new(Workers: [2], SizesMb: [4], Iterations: 3, Repeats: 3)
        : new(Workers: [2, 3, 4], SizesMb: [4, 25, 100], Iterations: 3, Repeats: 3);

    public FeatureBankBenchmark.Settings FeatureBank => Quick
        ? new(Videos: 4, Seconds: 12, Shards: 4, Repeats: 1)
        : new(Videos: 8, Seconds: 20, Shards: 8, Repeats: 3);

    /// <summary>Not part of a full run (minutes of training): only with <c>--only lfbcompare</c>.</summary>
    public LfbComparisonBenchmark.Settings LfbCompare => Quick
        ? new(Seeds: [0], MinGain: 0.10)
        : new(Seeds: [0, 1], MinGain: 0.10);

    public DataParallelStepBenchmark.Settings DataParallel => Quick
        ? new(VideosPerClass: 6, PerWorkerBatch: 4, Epochs: 3, Repeats: 1)
        : new(VideosPerClass: 12, PerWorkerBatch: 8, Epochs: 4, Repeats: 3);
}
