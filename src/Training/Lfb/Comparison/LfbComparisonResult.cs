using System.Globalization;
using System.Text;

namespace Cluster.Training.Lfb.Comparison;

/// <summary>One model of the comparison: its val frame mAP, every val metric, and what training it took.</summary>
public sealed record LfbComparisonRow(string Name, double Map, IReadOnlyDictionary<string, double> Metrics, TimeSpan Wall, TimeSpan Cpu);

/// <summary>The comparison's rows (baseline first) and what computing the two banks took.</summary>
public sealed record LfbComparisonResult(IReadOnlyList<LfbComparisonRow> Rows, long BankFeatures, TimeSpan BankWall, TimeSpan BankCpu)
{
    public double Map(string name) => Rows.Single(r => r.Name == name).Map;

    public TimeSpan TotalWall => Rows.Aggregate(BankWall, (sum, row) => sum + row.Wall);

    public TimeSpan TotalCpu => Rows.Aggregate(BankCpu, (sum, row) => sum + row.Cpu);

    /// <summary>The seeds' table: one line per model, its mAP and its gain over the baseline.</summary>
    public string Table()
    {
        var text = new StringBuilder();
        double baseline = Rows[0].Map;
        text.AppendLine(CultureInfo.InvariantCulture, $"{"model",-6} {"mAP",7} {"vs none",8} {"wall s",7} {"cpu s",7}");
        foreach (var row in Rows)
            text.AppendLine(CultureInfo.InvariantCulture,
                $"{row.Name,-6} {row.Map,7:0.0000} {row.Map - baseline,8:+0.0000;-0.0000;0} {row.Wall.TotalSeconds,7:0.0} {row.Cpu.TotalSeconds,7:0.0}");
        text.Append(CultureInfo.InvariantCulture,
            $"banks: {BankFeatures} features, {BankWall.TotalSeconds:0.0} s wall, {BankCpu.TotalSeconds:0.0} s cpu; total {TotalWall.TotalSeconds:0.0} s wall, {TotalCpu.TotalSeconds:0.0} s cpu");
        return text.ToString();
    }
}
