using Cluster.Tests.Data.Ava;

namespace Cluster.Tests.Client;

/// <summary>
/// `cluster train` then `cluster test` of a FastRCNN detector with AVAMetric on avadata's hand-made AVA set, through
/// the real command tree: validation logs AVA keys, the test prints the per-class table and the category means.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class AvaTestCommandTests : IDisposable
{
    private readonly AvaTestSet set = new();
    private readonly string work = Directory.CreateTempSubdirectory("ava-cli-work-").FullName;

    public void Dispose()
    {
        set.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void TestPrintsThePerClassApTableAndCategoryMeans()
    {
        var config = set.Write("detector.yaml", set.DetectorConfig(["stand", "pose", "talk"]));
        var train = CliRunner.Run("train", "--in-process", config, "--work-dir", work, "--device", "cpu");
        Assert.True(train.ExitCode == 0, train.Error);
        Assert.Contains("mAP@0.5IOU", File.ReadAllText(Path.Combine(work, "scalars.json")));

        var test = CliRunner.Run("test", config, "--checkpoint", Path.Combine(work, "epoch_1.pth"), "--device", "cpu");

        Assert.True(test.ExitCode == 0, test.Error);
        var lines = test.OutputLines;
        var summary = Assert.Single(lines, l => l.StartsWith("Epoch(test)", StringComparison.Ordinal));
        Assert.Contains("mAP@0.5IOU: ", summary);
        Assert.DoesNotContain(" AP@0.5IOU/", summary); // per-class APs are in the table only
        var header = Array.FindIndex(lines, l => l.StartsWith("class", StringComparison.Ordinal));
        Assert.EndsWith("AP@0.5IOU", lines[header]);
        // The test RoIs are the kept proposals: near person A at 0902 and person B at 0903 (ann.csv has no class-2
        // box there), so "pose" (2) is only FPs → AP 0. "stand" (1) and "talk" (3) have one TP of two GT boxes
        // (stand's second is on the excluded 0904, still counted) and one FP: 1/2 when the TP ranks first, else 1/4.
        Assert.Matches(@"^stand\s+0\.(5000|2500)$", lines[header + 1]);
        Assert.Matches(@"^pose\s+0\.0000$", lines[header + 2]);
        Assert.Matches(@"^talk\s+0\.(5000|2500)$", lines[header + 3]);
        Assert.Matches(@"^mAP person movement\s+0\.\d{4}$", lines[header + 4]);
        Assert.Matches(@"^mAP object manipulation\s+n/a$", lines[header + 5]);
        Assert.Matches(@"^mAP person interaction\s+n/a$", lines[header + 6]);
        Assert.Matches(@"^mAP overall\s+0\.\d{4}$", lines[header + 7]);
    }
}
