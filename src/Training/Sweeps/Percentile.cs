namespace Cluster.Training.Sweeps;

/// <summary>numpy's <c>nanpercentile</c> / <c>median</c> with the default linear interpolation.</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="percent"/>th percentile of the non-NaN values; NaN when there are none.</summary>
    public static double Of(IEnumerable<double> values, double percent)
    {
        var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToArray();
        if (sorted.Length == 0) return double.NaN;
        var position = percent / 100.0 * (sorted.Length - 1);
        var below = (int)Math.Floor(position);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + (sorted[above] - sorted[below]) * (position - below);
    }

    public static double Median(IEnumerable<double> values) => Of(values, 50);
}
