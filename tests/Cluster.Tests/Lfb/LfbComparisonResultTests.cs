using Cluster.Training.Lfb.Comparison;

namespace Cluster.Tests.Lfb;

public class LfbComparisonResultTests
{
    private static LfbComparisonRow Row(string name, double map, double wall, double cpu) =>
        new(name, map, new Dictionary<string, double> { [LfbComparison.MapKey] = map }, TimeSpan.FromSeconds(wall), TimeSpan.FromSeconds(cpu));

    private static readonly LfbComparisonResult Result = new(
        [Row("none", 0.5, 10, 8), Row("avg", 0.45, 11, 9), Row("max", 0.7, 12, 10), Row("nl", 0.75, 13, 11)],
        BankFeatures: 100, BankWall: TimeSpan.FromSeconds(2), BankCpu: TimeSpan.FromSeconds(1));

    [Fact]
    public void TableGivesEachModelsMapAndItsGainOverTheBaseline()
    {
        var lines = Result.Table().Split('\n');

        Assert.Equal(6, lines.Length);
        Assert.Equal(["none", "0.5000", "0", "10.0", "8.0"], Cells(lines[1]));
        Assert.Equal(["avg", "0.4500", "-0.0500", "11.0", "9.0"], Cells(lines[2]));
        Assert.Equal(["nl", "0.7500", "+0.2500", "13.0", "11.0"], Cells(lines[4]));
        Assert.Equal("banks: 100 features, 2.0 s wall, 1.0 s cpu; total 48.0 s wall, 39.0 s cpu", lines[5]);
    }

    [Fact]
    public void MapLooksUpAModelByName()
    {
        Assert.Equal(0.7, Result.Map("max"));
        Assert.Throws<InvalidOperationException>(() => Result.Map("missing"));
    }

    private static string[] Cells(string line) => line.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
