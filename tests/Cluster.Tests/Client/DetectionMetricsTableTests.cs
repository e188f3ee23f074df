using Cluster.Client.Commands;

namespace Cluster.Tests.Client;

/// <summary>What `cluster test` prints for AVA frame mAP metrics, and that recogniser metrics print as before.</summary>
public class DetectionMetricsTableTests
{
    private static readonly Dictionary<string, double> Ava = new()
    {
        ["mAP@0.5IOU"] = 2.0 / 3,
        ["AP@0.5IOU/stand"] = 0.5,
        ["AP@0.5IOU/talk to (e.g., self, a person, a group)"] = 0.5,
        ["AP@0.5IOU/walk"] = 1.0,
        ["mAP@0.5IOU/person_movement"] = 0.75,
        ["mAP@0.5IOU/person_interaction"] = 0.5,
    };

    [Fact]
    public void PrintsEachClassApThenTheCategoryMeansAndOverall()
    {
        var log = new StringWriter();

        DetectionMetricsTable.Write(log, Ava);

        string[] expected =
        [
            "class                                    AP@0.5IOU",
            "stand                                       0.5000",
            "talk to (e.g., self, a person, a group)     0.5000",
            "walk                                        1.0000",
            "",
            "mAP person movement                         0.7500",
            "mAP object manipulation                        n/a",
            "mAP person interaction                      0.5000",
            "mAP overall                                 0.6667",
        ];
        Assert.Equal(expected, log.ToString().Split(Environment.NewLine)[..^1]);
    }

    [Fact]
    public void TheSummaryLineLeavesPerClassApsToTheTable()
    {
        Assert.Equal(["mAP@0.5IOU", "mAP@0.5IOU/person_movement", "mAP@0.5IOU/person_interaction"], DetectionMetricsTable.Summary(Ava).Keys);
    }

    [Fact]
    public void TheValidationLogLineLeavesPerClassApsOut()
    {
        var line = ConsoleProgressPrinter.Format(new Cluster.Training.Engine.ValidationCompleted(3, 30, Ava));

        Assert.Equal("Epoch(val) [3]  mAP@0.5IOU: 0.6667  mAP@0.5IOU/person_movement: 0.7500  mAP@0.5IOU/person_interaction: 0.5000", line);
    }

    [Fact]
    public void RecogniserMetricsGetNoTableAndAnUnchangedSummary()
    {
        var metrics = new Dictionary<string, double> { ["acc/top1"] = 0.5, ["acc/top5"] = 1.0 };
        var log = new StringWriter();

        DetectionMetricsTable.Write(log, metrics);

        Assert.Equal("", log.ToString());
        Assert.Same(metrics, DetectionMetricsTable.Summary(metrics));
    }
}
