namespace Cluster.Bench;

/// <summary>Command line: <c>[--quick] [--out PATH] [--threads N]</c>; null <see cref="TorchThreads"/> keeps
/// TorchSharp's default (one per core).</summary>
public sealed record BenchOptions(bool Quick, string OutPath, int? TorchThreads)
{
    public const string Usage = "usage: Cluster.Bench [--quick] [--out bench/results/engine.json] [--threads N]";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        bool quick = false;
        string outPath = "bench/results/engine.json";
        int? threads = null;
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
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}'; {Usage}");
            }
        }
        return new BenchOptions(quick, outPath, threads);
    }

    public IEnumerable<EngineStepBenchmark.Settings> EngineSteps => Quick
        ? [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 6, Repeats: 7)]
        : [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 10, Repeats: 21),
           new(BaseChannels: 32, WarmupSteps: 2, MeasuredSteps: 8, Repeats: 7)];

    public LoaderThroughputBenchmark.Settings Loader => Quick
        ? new(VideosPerClass: 6, Repeats: 7)
        : new(VideosPerClass: 12, Repeats: 15);
}
