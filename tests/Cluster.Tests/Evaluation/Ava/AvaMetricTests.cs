using Cluster.Tests.Configs;
using Cluster.Training.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Evaluation;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Tests.Evaluation.Ava;

/// <summary>AVAMetric from a config entry over real files: keys, class mapping, thresholds, and file errors.</summary>
public sealed class AvaMetricTests : IDisposable
{
    private readonly TempConfigFiles files = new();

    private const string LabelMap = """
        # two movement classes and one interaction class
        item {
          name: "stand"
          id: 1
        }
        item { name: "walk" id: 14 }
        item { name: "talk to (e.g., self, a person, a group)" label_id: 64 }
        """;

    // Keyframe 0903 of v1 is excluded. The boxes are those of the detections below.
    private const string Annotations = """
        v1,0902,0.100,0.100,0.300,0.500,1,0
        v1,0902,0.100,0.100,0.300,0.500,64,0
        v1,0902,0.500,0.100,0.700,0.500,14,1
        v1,0904,0.500,0.100,0.700,0.500,1,1
        v1,0904,0.500,0.100,0.700,0.500,99,1
        """;

    public void Dispose() => files.Dispose();

    private IDetectionMetric Create(string extra = "")
    {
        files.Write("label_map.pbtxt", LabelMap);
        files.Write("val.csv", Annotations);
        files.Write("excluded.csv", "v1,0903\n");
        files.Write("c.yaml", $$"""
            test_evaluator:
            - {type: AVAMetric, ann_file: {{files.Path("val.csv")}}, label_file: {{files.Path("label_map.pbtxt")}}, exclude_file: {{files.Path("excluded.csv")}}{{extra}}}
            """);
        var entries = ConfigBinder.Bind<List<MetricConfig>>(files.Load("c.yaml"), "test_evaluator");
        return Assert.IsAssignableFrom<IDetectionMetric>(Assert.Single(entries).Create());
    }

    private static readonly NormalizedBox Left = new(0.1f, 0.1f, 0.3f, 0.5f), Right = new(0.5f, 0.1f, 0.7f, 0.5f);

    private static AvaDetection Det(int second, NormalizedBox box, int classIndex, float score) => new(new AvaKey("v1", second), box, classIndex, score);

    [Fact]
    public void ReportsOverallPerClassAndCategoryMeansUnderMmaction2Names()
    {
        var metric = Create(", num_classes: 81");
        // stand: Left@902 TP 0.9, Right@903 excluded (not evaluated), Right@904 missed → P 1, R 1/2 → AP 1/2.
        // walk: Right@902 TP → 1. talk: Left@902 0.4 TP, Right@902 0.6 FP first → P 0, 1/2; R 0, 1 → AP 1/2.
        var metrics = metric.Compute([Det(902, Left, 1, 0.9f), Det(903, Right, 1, 0.9f), Det(902, Right, 14, 0.8f),
            Det(902, Right, 64, 0.6f), Det(902, Left, 64, 0.4f)]);

        Assert.Equal(["mAP@0.5IOU", "AP@0.5IOU/stand", "AP@0.5IOU/walk", "AP@0.5IOU/talk to (e.g., self, a person, a group)",
            "mAP@0.5IOU/person_movement", "mAP@0.5IOU/person_interaction"], metrics.Keys);
        Assert.Equal(0.5, metrics["AP@0.5IOU/stand"], 12);
        Assert.Equal(1.0, metrics["AP@0.5IOU/walk"], 12);
        Assert.Equal(0.5, metrics["AP@0.5IOU/talk to (e.g., self, a person, a group)"], 12);
        Assert.Equal(0.75, metrics["mAP@0.5IOU/person_movement"], 12);
        Assert.Equal(0.5, metrics["mAP@0.5IOU/person_interaction"], 12);
        Assert.Equal(2.0 / 3, metrics["mAP@0.5IOU"], 12);
    }

    [Fact]
    public void CustomClassesMapModelIndicesToLabelMapIds()
    {
        // Model classes 1, 2 stand for label-map ids 14 (walk) and 64 (talk); stand is not evaluated at all.
        var metric = Create(", num_classes: 3, custom_classes: [14, 64]");

        var metrics = metric.Compute([Det(902, Right, 1, 0.8f), Det(902, Left, 2, 0.7f), Det(902, Right, 2, 0.9f)]);

        // walk Right@902 TP → 1; talk Right@902 0.9 FP (talk is on Left) then Left@902 TP → P 0, 1/2; R 0, 1 → 1/2.
        Assert.Equal(1.0, metrics["AP@0.5IOU/walk"], 12);
        Assert.Equal(0.5, metrics["AP@0.5IOU/talk to (e.g., self, a person, a group)"], 12);
        Assert.DoesNotContain("AP@0.5IOU/stand", metrics.Keys);
        Assert.Equal(0.75, metrics["mAP@0.5IOU"], 12);
    }

    [Fact]
    public void DetectionsAtOrBelowTheActionThresholdAreNotEvaluated()
    {
        var metric = Create(", num_classes: 81, action_thr: 0.5");

        // The 0.5 TP on 0904 is dropped (MMAction2 keeps score > thr): stand Left@902 only → P 1, R 1/2 → 1/2 (else 1).
        var metrics = metric.Compute([Det(904, Right, 1, 0.5f), Det(902, Left, 1, 0.6f)]);

        Assert.Equal(0.5, metrics["AP@0.5IOU/stand"], 12);
    }

    [Fact]
    public void TheThresholdIsComparedInFloat32()
    {
        var metric = Create(", num_classes: 81, action_thr: 0.002");

        // 0.002f is 0.0020000000949949 as a double, above 0.002, but not above 0.002 in float32 (numpy's comparison):
        // the TP on 0904 is dropped → stand 1/2, not 1.
        var metrics = metric.Compute([Det(904, Right, 1, 0.002f), Det(902, Left, 1, 0.6f)]);

        Assert.Equal(0.5, metrics["AP@0.5IOU/stand"], 12);
    }

    [Fact]
    public void NoDetectionsGiveZeroMapAndNoOtherKeys()
    {
        // MMAction2's nanmean over no class is NaN; reported as 0 so logs and JSON stay numeric.
        var metrics = Create().Compute([]);

        Assert.Equal(new Dictionary<string, double> { ["mAP@0.5IOU"] = 0.0 }, metrics);
    }

    [Fact]
    public void ADetectionClassOutsideTheModelsClassesIsAnError()
    {
        var metric = Create(", num_classes: 3, custom_classes: [14, 64]");

        var error = Assert.Throws<ArgumentException>(() => metric.Compute([Det(902, Left, 3, 0.9f)]));
        Assert.Equal("AVAMetric: detection class 3 at v1,0902 outside 1..2 (num_classes 3)", error.Message);
    }

    [Fact]
    public void CustomClassesMustBeInTheLabelMapAndMatchNumClasses()
    {
        var unknown = Assert.Throws<ArgumentException>(() => Create(", num_classes: 3, custom_classes: [14, 15]"));
        Assert.Equal($"AVAMetric.custom_classes: 15 not in {files.Path("label_map.pbtxt")}", unknown.Message);
        var count = Assert.Throws<ArgumentException>(() => Create(", num_classes: 81, custom_classes: [14, 64]"));
        Assert.Contains("num_classes 81 needs 80", count.Message);
    }
}
