using Cluster.Training.Lfb.Comparison;
using Cluster.Training.Synthetic;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 6's headline: on the synthetic AVA-like set, whose scene classes show only around one cue second per video,
/// MMAction2's LFB recipe (baseline detector → banks from its weights → LFB models) gives the non-local model a clear
/// mAP lead over the same detector without a bank; avg and max are reported beside them, as in the seeds' table.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class LfbComparisonAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    /// <summary>
    /// The scene classes are 2 of the 5: without a bank their AP stays near the share of positives (about 1/3), with
    /// a bank that shows the cue it approaches the motion classes', so a full win is about +0.25 mAP. Measured gains
    /// (bench/README.md "LFB comparison") were well above this bound on every seed tried.
    /// </summary>
    private const double MinGain = 0.10;

    private readonly string work = Directory.CreateTempSubdirectory("lfb-compare-").FullName;

    public void Dispose() => Directory.Delete(work, recursive: true);

    [Fact]
    public void NonLocalBankBeatsTheDetectorWithoutOne()
    {
        var data = Path.Combine(work, "ava_synth");
        AvaSynthesizer.Generate(LfbComparisonConfigs.TinySynthSet(data, seed: 0));
        var configs = LfbComparisonConfigs.TinySynth(Cluster.Tests.Experiments.DemoDataset.Config(""));

        var result = new LfbComparison(configs, LfbComparisonConfigs.TinySynthOverrides(data, seed: 0), Path.Combine(work, "runs"))
            .Run(new Progress(output));

        output.WriteLine(result.Table());
        Assert.Equal(["none", "avg", "max", "nl"], result.Rows.Select(r => r.Name));
        Assert.All(result.Rows, row => Assert.InRange(row.Map, 0.0, 1.0));
        double gain = result.Map("nl") - result.Map("none");
        Assert.True(gain >= MinGain, $"nl {result.Map("nl"):0.000} - none {result.Map("none"):0.000} = {gain:0.000} < {MinGain}");
    }

    private sealed class Progress(ITestOutputHelper output) : IProgress<string>
    {
        public void Report(string value) => output.WriteLine(value);
    }
}
