using Cluster.Tests.Experiments;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// The seeds' fine-tuning workflow on synthetic data: train a tiny TSN on set A (8 classes), then fine-tune it on set B
/// (5 classes) with <c>load_from</c> A's checkpoint. The replaced head is reported as shape-mismatched while the
/// backbone loads; the fine-tuned model reaches val top-1 ≥ 0.90 on B, in fewer epochs than training B from scratch.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class FineTuneAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private const double TargetTop1 = 0.90;
    private readonly DemoDataset setA = DemoDataset.Create("synth-a-", classes: 8, videosPerClass: DemoSets.VideosPerClassA, seed: 1);
    private readonly DemoDataset setB = DemoDataset.Create("synth-b-", classes: 5, videosPerClass: DemoSets.VideosPerClassB, seed: 2);
    private readonly string work = Directory.CreateTempSubdirectory("finetune-work-").FullName;

    public void Dispose()
    {
        setA.Dispose();
        setB.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void FineTuningFromSetAReachesTheTargetOnSetBFasterThanTrainingFromScratch()
    {
        var pretrain = new RunLog(output, "A");
        pretrain.Train(DemoDataset.Config("demo/tsn_tiny_synth.yaml"), [.. setA.Overrides(), "randomness.seed=0"],
            Path.Combine(work, "a"));
        var checkpoint = Path.Combine(work, "a", WorkDirectory.LatestCheckpointName);
        Assert.True(File.Exists(checkpoint), "training on set A left no latest.pth");

        var finetune = new RunLog(output, "B fine-tune");
        var finetuned = finetune.Train(DemoDataset.Config("demo/tsn_tiny_synth_finetune.yaml"),
            [.. setB.Overrides(), "randomness.seed=0", $"load_from={checkpoint}"], Path.Combine(work, "b-finetune"));

        var scratch = new RunLog(output, "B scratch");
        scratch.Train(DemoDataset.Config("demo/tsn_tiny_synth_finetune.yaml"),
            [.. setB.Overrides(), "randomness.seed=0", "load_from=null"], Path.Combine(work, "b-scratch"));

        var loadReport = Assert.Single(finetune.Events.OfType<TrainingMessage>(), m => m.Text.StartsWith("load_from", StringComparison.Ordinal)).Text;
        Assert.Contains("skipped for shape mismatch 2 (cls_head.fc_cls.weight", loadReport);
        Assert.DoesNotContain("missing", loadReport);
        Assert.DoesNotContain("unexpected", loadReport);

        output.WriteLine($"val top-1 per epoch, fine-tuned: [{string.Join(", ", finetune.ValidationTop1().Select(v => v.ToString("0.000")))}]");
        output.WriteLine($"val top-1 per epoch, from scratch: [{string.Join(", ", scratch.ValidationTop1().Select(v => v.ToString("0.000")))}]");
        Assert.Equal(TrainingStatus.Completed, finetuned.Status);
        var finetuneEpoch = finetune.FirstEpochReaching(TargetTop1);
        Assert.True(finetuneEpoch is not null, $"fine-tuning never reached val top-1 {TargetTop1}");
        var scratchEpoch = scratch.FirstEpochReaching(TargetTop1) ?? int.MaxValue;
        Assert.True(finetuneEpoch < scratchEpoch,
            $"fine-tuning reached {TargetTop1} at epoch {finetuneEpoch}, from scratch at {(scratchEpoch == int.MaxValue ? "never" : scratchEpoch)}");
    }
}

/// <summary>Sizes of the demo's synthetic sets (the same as `cluster demo` uses for set A).</summary>
internal static class DemoSets
{
    public const int VideosPerClassA = 40;
    public const int VideosPerClassB = 20;
}
