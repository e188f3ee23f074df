using System.Globalization;

namespace Cluster.Client.Reports;

/// <summary>
/// Tick marks for a log axis drawn in log10 space: the powers of ten across the data, plus 2× and 5× when it spans less
/// than two decades (else a narrow range would show one tick or none).
/// </summary>
internal static class LogTicks
{
    public static IReadOnlyList<(double Position, string Label)> For(double minValue, double maxValue)
    {
        if (minValue <= 0 || maxValue < minValue) throw new ArgumentOutOfRangeException(nameof(minValue), "log ticks need 0 < min <= max");
        double low = Math.Log10(minValue), high = Math.Log10(maxValue);
        double[] multiples = high - low < 2 ? [1, 2, 5] : [1];
        var ticks = new List<(double, string)>();
        for (int decade = (int)Math.Floor(low); decade <= (int)Math.Ceiling(high); decade++)
            foreach (var multiple in multiples)
            {
                double value = multiple * Math.Pow(10, decade);
                double position = Math.Log10(value);
                // Ticks just beyond the data still help when the points sit near a decade's edge.
                if (position >= low - 0.15 && position <= high + 0.15)
                    ticks.Add((position, value.ToString("G3", CultureInfo.InvariantCulture)));
            }
        return ticks;
    }
}
