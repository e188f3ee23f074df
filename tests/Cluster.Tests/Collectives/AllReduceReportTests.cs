using Cluster.Abstractions.Collectives;
using Cluster.Client.Commands.Bench;

namespace Cluster.Tests.Collectives;

public class AllReduceReportTests
{
    [Fact]
    public void TheSlowestRankTimesTheCollectiveAndBusBandwidthIsNcclTests()
    {
        static AllReduceBenchmarkResult Rank(int rank, double seconds) =>
            new(rank, "ring", [new AllReduceTiming(100_000_000, seconds, seconds / 2, Checked: true)]);

        var row = Assert.Single(AllReduceRow.From([Rank(0, 0.05), Rank(1, 0.1), Rank(2, 0.08), Rank(3, 0.07)]));

        Assert.Equal(0.1, row.Seconds, 12);
        Assert.Equal(1.0, row.AlgorithmGBps, 12); // 10^8 bytes in 0.1 s
        Assert.Equal(1.5, row.BusGBps, 12); // × 2·3/4
        Assert.True(row.Checked);
    }
}
