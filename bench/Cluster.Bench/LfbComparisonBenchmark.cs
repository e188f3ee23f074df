using Cluster.Training.Lfb.Comparison;
using Cluster.Training.Synthetic;

namespace Cluster.Bench;

/// <summary>
/// The seeds' LFB table on the synthetic AVA-like set (issue 6's acceptance comparison): for each seed, a fresh set
/// from <see cref="AvaSynthesizer"/> and <see cref="LfbComparison"/> over the tiny demo configs (baseline "none",
/// banks from it, then avg, max and non-local). Reports every model's val frame mAP and the non-local gain.
/// </summary>
public static class LfbComparisonBenchmark
{
    public const string Name = "lfb comparison";

    /// <param name="Seeds">One synthetic set and one training seed each.</param>
    /// <param name="MinGain">nl − none the run must reach (mAP points).</param>
    public sealed record Settings(int[] Seeds, double MinGain);

    public static IEnumerable<BenchRow> Run(Settings settings, string workDir)
    {
        var rows = new List<BenchRow>();
        foreach (int seed in settings.Seeds)
        {
            var data = Path.Combine(workDir, $"ava_synth_{seed}");
            AvaSynthesizer.Generate(LfbComparisonConfigs.TinySynthSet(data, seed));
            var comparison = new LfbComparison(LfbComparisonConfigs.TinySynth("configs"), LfbComparisonConfigs.TinySynthOverrides(data, seed),
                Path.Combine(workDir, $"lfb_{seed}"));
            var result = comparison.Run(new SyncLog(line => Console.WriteLine($"  {line}")));
            Console.WriteLine($"seed {seed}:");
            Console.WriteLine(result.Table());
            foreach (var row in result.Rows)
                rows.Add(BenchRow.Info(Name, $"val mAP {row.Name} (seed {seed})", Single(row.Map), "mAP"));
            double gain = result.Map("nl") - result.Map(LfbComparisonConfigs.BaselineName);
            rows.Add(new BenchRow(Name, $"nl - none (seed {seed})", gain, "mAP", result.Map(LfbComparisonConfigs.BaselineName), "none",
                null, $"≥ {BenchRow.Number(settings.MinGain)}", gain >= settings.MinGain));
            rows.Add(BenchRow.Info(Name, $"whole comparison, process cpu (seed {seed})", Single(result.TotalCpu.TotalSeconds), "s"));
            rows.Add(BenchRow.Info(Name, $"whole comparison, wall (seed {seed})", Single(result.TotalWall.TotalSeconds), "s"));
        }
        return rows;
    }

    private static Samples Single(double value)
    {
        var samples = new Samples();
        samples.Add(value);
        return samples;
    }

    private sealed class SyncLog(Action<string> write) : IProgress<string>
    {
        public void Report(string value) => write(value);
    }
}
