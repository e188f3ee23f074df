namespace Cluster.Bench;

/// <summary>Command line: <c>[--quick] [--out PATH]</c>.</summary>
public sealed record BenchOptions(bool Quick, string OutPath)
{
    public const string Usage = "usage: Cluster.Bench [--quick] [--out bench/results/engine.json]";

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        bool quick = false;
        string outPath = "bench/results/engine.json";
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
                default:
                    throw new ArgumentException($"unknown or incomplete argument '{args[i]}'; {Usage}");
            }
        }
        return new BenchOptions(quick, outPath);
    }

    public IEnumerable<EngineStepBenchmark.Settings> EngineSteps => Quick
        ? [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 6, Repeats: 7)]
        : [new(BaseChannels: 16, WarmupSteps: 2, MeasuredSteps: 10, Repeats: 21),
           new(BaseChannels: 32, WarmupSteps: 2, MeasuredSteps: 8, Repeats: 7)];

    public LoaderThroughputBenchmark.Settings Loader => Quick
        ? new(VideosPerClass: 6, Repeats: 7)
        : new(VideosPerClass: 12, Repeats: 15);
}
