using System.Globalization;
using Cluster.Training.Synthetic;

namespace Cluster.Training.Lfb.Comparison;

/// <summary>The configs an <see cref="LfbComparison"/> runs: the baseline detector, the bank inference config over
/// it, and the bank models by name (the seeds' table rows).</summary>
public sealed record LfbComparisonConfigs(string Baseline, string Infer, IReadOnlyList<(string Name, string Config)> BankModels)
{
    public const string BaselineName = "none";

    /// <summary>The CPU demo configs on the synthetic AVA-like set (<c>configs/demo/lfb_tiny_synth_*.yaml</c>).</summary>
    public static LfbComparisonConfigs TinySynth(string configsDir)
    {
        string Demo(string name) => Path.Combine(configsDir, "demo", $"lfb_tiny_synth_{name}.yaml");
        return new LfbComparisonConfigs(Demo("none"), Demo("infer"), [("avg", Demo("avg")), ("max", Demo("max")), ("nl", Demo("nl"))]);
    }

    /// <summary>The synthetic set the demo configs are tuned on: <c>cluster data synth ava --videos 40 --val-videos 16
    /// --keyframe-step 2</c> (40 s videos). Many short-annotated videos rather than the default 16 densely annotated
    /// ones: the scene is one per video, so the number of videos is the number of examples of it.</summary>
    public static AvaSynthOptions TinySynthSet(string outDir, int seed) =>
        new() { OutDir = outDir, TrainVideos = 40, ValVideos = 16, KeyframeStep = 2, Seed = seed };

    /// <summary>Overrides that point the demo configs at a set written by <c>cluster data synth ava --out
    /// <paramref name="dataRoot"/></c> (the three dataloaders' data_root and the metrics' files) and seed them.</summary>
    public static List<string> TinySynthOverrides(string dataRoot, int seed)
    {
        var root = Path.GetFullPath(dataRoot);
        string Annotation(string name) => Path.Combine(root, "annotations", name);
        var overrides = new List<string> { string.Create(CultureInfo.InvariantCulture, $"randomness.seed={seed}") };
        foreach (var loader in new[] { "train", "val", "test" })
            overrides.Add($"{loader}_dataloader.dataset.data_root={root}");
        foreach (var evaluator in new[] { "val", "test" })
        {
            overrides.Add($"{evaluator}_evaluator.ann_file={Annotation("ava_val.csv")}");
            overrides.Add($"{evaluator}_evaluator.label_file={Annotation("ava_action_list.pbtxt")}");
            overrides.Add($"{evaluator}_evaluator.exclude_file={Annotation("ava_val_excluded_timestamps.csv")}");
        }
        return overrides;
    }
}
