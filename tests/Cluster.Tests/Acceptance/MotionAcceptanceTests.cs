using Cluster.Tests.Experiments;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// On a motion-only set whose classes are directions (left vs right: same shapes, colours and positions, only the
/// direction differs), a tiny SlowOnly 3D model learns the direction while TSN, whose average over segments is
/// order-free, stays at chance. This is what shows that the temporal path learns motion.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class MotionAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private readonly DemoDataset directions = DemoDataset.Create("synth-motion-", classes: 2, videosPerClass: 100, seed: 3, motionOnly: true);
    private readonly string work = Directory.CreateTempSubdirectory("motion-work-").FullName;

    public void Dispose()
    {
        directions.Dispose();
        Directory.Delete(work, recursive: true);
    }

    [Fact]
    public void SlowOnlyTellsDirectionsApartWhereTsnCannot()
    {
        Assert.Equal(["MoveRight", "MoveLeft"], directions.Result.Classes.Select(c => c.Name));

        var slowOnly = new RunLog(output, "SlowOnly");
        var slowOnlyResult = slowOnly.Train(DemoDataset.Config("demo/slowonly_tiny_synth_motion.yaml"),
            [.. directions.Overrides(), "randomness.seed=0"], Path.Combine(work, "slowonly"));
        var tsn = new RunLog(output, "TSN");
        var tsnResult = tsn.Train(DemoDataset.Config("demo/tsn_tiny_synth_motion.yaml"),
            [.. directions.Overrides(), "randomness.seed=0"], Path.Combine(work, "tsn"));

        var slowOnlyTop1 = slowOnlyResult.Metrics["acc/top1"];
        var tsnTop1 = tsnResult.Metrics["acc/top1"];
        output.WriteLine($"final val top-1 on left/right: SlowOnly {slowOnlyTop1:0.000}, TSN {tsnTop1:0.000}");
        Assert.True(slowOnlyTop1 >= 0.85, $"SlowOnly top-1 {slowOnlyTop1:0.000} < 0.85");
        Assert.True(tsnTop1 <= 0.70, $"TSN top-1 {tsnTop1:0.000} > 0.70: an order-free model should be near chance");
        Assert.True(slowOnlyTop1 - tsnTop1 >= 0.2);
    }
}
