using Cluster.Tests.Data.Ava;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Experiments;

/// <summary>
/// A FastRCNN config through the product jobs on a hand-made AVA set: TrainingJob trains on ground-truth RoIs,
/// validates on proposals with AVAMetric (detections → frame mAP) and writes .pth checkpoints; TestJob loads one
/// strictly (every MMAction2-named key) and evaluates.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class DetectorJobTests : IDisposable
{
    private readonly AvaTestSet set = new();
    private readonly string workDir = Directory.CreateTempSubdirectory("detector-job-").FullName;

    public void Dispose()
    {
        set.Dispose();
        Directory.Delete(workDir, recursive: true);
    }

    [Fact]
    public void TrainingJobTrainsADetectorAndTestJobEvaluatesItsCheckpoint()
    {
        var document = ConfigLoader.LoadMerged(
            set.DetectorConfig(["walk", "talk", "wave"], maxEpochs: 2, testScoreThreshold: 0.85), "detector.yaml");

        var events = new List<TrainingEvent>();
        var result = TrainingJob.Prepare(document, workDir, "cpu").Run(new SyncProgress(events.Add));

        Assert.Equal(TrainingStatus.Completed, result.Status);
        Assert.Equal(2, result.EpochsRun);
        Assert.All(events.OfType<IterationProgress>(), e => Assert.True(double.IsFinite(e.Loss)));
        Assert.InRange(result.Metrics["mAP@0.5IOU"], 0.0, 1.0);
        var checkpoint = Path.Combine(workDir, "epoch_2.pth");
        Assert.True(File.Exists(checkpoint));

        var metrics = TestJob.Prepare(document, checkpoint, "cpu").Run();
        // Proposals at 0.85: 902 keeps the one over person A (IoU 0.92), 903 the one over person B (no ground truth
        // there); every class scores above action_thr, so every class has detections and an AP.
        Assert.InRange(metrics["mAP@0.5IOU"], 0.0, 1.0);
        Assert.Equal(3, metrics.Keys.Count(key => key.StartsWith("AP@0.5IOU/")));
    }
}
