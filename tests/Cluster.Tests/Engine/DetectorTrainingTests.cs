using Cluster.Tests.Models.Detectors;
using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Engine;
using Cluster.Training.Evaluation;
using Cluster.Training.Hooks;
using Cluster.Training.Optim;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

/// <summary>The engine (runner, evaluation, checkpoints) with a FastRCNN over hand-made detection batches.</summary>
[Collection(GlobalTorchRandomCollection.Name)]
public class DetectorTrainingTests
{
    private const int BatchesPerEpoch = 2;

    [Fact]
    public void TrainingLowersTheLossAndValidationFeedsDetectionsToTheDetectionMetric()
    {
        using var model = TinyDetector.Build(seed: 11);
        var metric = new RecordingDetectionMetric();
        var log = new EventLog();
        using var writer = new InMemoryCheckpointWriter();

        var result = new TrainingRunner(Options(model, metric, log, writer, maxEpochs: 4)).Run();

        Assert.Equal(TrainingStatus.Completed, result.Status);
        var epochLosses = log.OfType<EpochCompleted>().Select(e => e.MeanLoss).ToArray();
        Assert.Equal(4, epochLosses.Length);
        Assert.True(epochLosses[^1] < 0.8 * epochLosses[0], $"epoch losses {string.Join(", ", epochLosses)}");

        // Validation every epoch: each pass sees the 2 batches' 3 RoIs each; every detection has class ≥ 1 and a
        // score above the threshold, at a RoI's keyframe and box.
        Assert.Equal(4, metric.Calls.Count);
        var last = metric.Calls[^1];
        Assert.NotEmpty(last);
        Assert.All(last, d => Assert.InRange(d.ActionId, 1, TinyDetector.Classes - 1));
        Assert.All(last, d => Assert.True(d.Score > (float)model.ActionThreshold));
        Assert.Equal(["video0", "video1", "video2", "video3"], last.Select(d => d.Key.VideoId).Distinct().Order());
        Assert.Equal(last.Count, result.Metrics["recording/detections"]);

        // The checkpoint carries MMAction2's keys and restores the trained detector exactly.
        var checkpoint = writer.Load("work/epoch_4.pth");
        Assert.Contains("roi_head.bbox_head.fc_cls.weight", checkpoint.StateDict.Keys);
        Assert.Contains("backbone.conv1.conv.weight", checkpoint.StateDict.Keys);
        using var restored = TinyDetector.Build(seed: 99);
        restored.load_state_dict(checkpoint.StateDict);
        restored.eval();
        model.eval();
        using var batch = TinyDetector.Batch(seed: 500);
        using var noGrad = no_grad();
        Assert.True(restored.Predict(batch, CPU).allclose(model.Predict(batch, CPU), rtol: 0, atol: 1e-6));
        checkpoint.Dispose();
    }

    [Fact]
    public void EvaluationOfDetectionBatchesGathersOneScoreRowPerRoi()
    {
        using var model = TinyDetector.Build(seed: 12);
        var metric = new RecordingDetectionMetric();

        using var result = new EvaluationLoop(model, [metric], CPU).Run(ValBatches());

        Assert.Equal(new long[] { 6, TinyDetector.Classes }, result.Scores.shape);
        Assert.Equal(new long[] { 6, TinyDetector.Classes }, result.Labels.shape);
        Assert.Equal([0, 1, 2, 3], result.SampleIndices);
        Assert.Equal(metric.Calls.Single(), result.Detections);
        // The detections are exactly the RoI scores above the threshold in classes 1..K-1.
        var scores = result.Scores.data<float>().ToArray();
        int expected = scores.Where((s, i) => i % TinyDetector.Classes != 0 && s > (float)model.ActionThreshold).Count();
        Assert.Equal(expected, result.Detections.Count);
        Assert.False(model.training);
    }

    [Fact]
    public void ARecogniserCannotEvaluateADetectionBatch()
    {
        using var recognizer = new TinyRecognizer(features: 4, classes: 3);
        var error = Assert.Throws<ArgumentException>(() =>
            new EvaluationLoop(recognizer, [], CPU).Run([TinyDetector.Batch(seed: 2)]));
        Assert.Contains("TinyRecognizer is a recogniser, not a detector", error.Message);
    }

    private static TrainingRunnerOptions Options(Cluster.Training.Models.Detectors.FastRCNN model,
        RecordingDetectionMetric metric, EventLog log, InMemoryCheckpointWriter writer, int maxEpochs) => new()
    {
        Model = model,
        TrainData = new TrainBatchSource(TrainBatches, BatchesPerEpoch, 2),
        ValData = ValBatches,
        TrainCfg = new TrainLoopConfig { MaxEpochs = maxEpochs },
        OptimWrapper = new OptimWrapperConfig { Optimizer = new SgdConfig { Lr = 0.05, Momentum = 0.9 } },
        ValEvaluator = [new RecordingDetectionMetricConfig(metric)],
        DefaultHooks = new DefaultHooksConfig { Checkpoint = new CheckpointHookConfig { Interval = 1 } },
        Randomness = new RandomnessConfig { Seed = 3 },
        Device = "cpu",
        WorkDir = "work",
        CheckpointWriter = writer,
        Progress = log,
    };

    /// <summary>The same two batches every epoch (so the loss can only fall by fitting them).</summary>
    private static IEnumerable<Batch> TrainBatches(int epoch, int start)
    {
        for (int b = start; b < BatchesPerEpoch; b++) yield return TinyDetector.Batch(seed: 100 + b, firstSample: 2 * b);
    }

    private static IEnumerable<Batch> ValBatches() => TrainBatches(0, 0);

    private sealed class RecordingDetectionMetricConfig(RecordingDetectionMetric metric) : MetricConfig
    {
        public override IEvaluationMetric Create() => metric;
    }

    /// <summary>Records the detections of every evaluation and reports their count.</summary>
    private sealed class RecordingDetectionMetric : IDetectionMetric
    {
        public List<IReadOnlyList<AvaDetection>> Calls { get; } = [];

        public IReadOnlyDictionary<string, double> Compute(IReadOnlyList<AvaDetection> detections)
        {
            Calls.Add(detections.ToList());
            return new Dictionary<string, double> { ["recording/detections"] = detections.Count };
        }
    }
}
