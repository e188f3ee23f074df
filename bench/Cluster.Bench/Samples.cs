namespace Cluster.Bench;

/// <summary>The repeated measurements of one variant, in run order; benchmarks report medians (robust to a noisy
/// neighbour on a shared machine).</summary>
public sealed class Samples
{
    private readonly List<double> values = [];

    public IReadOnlyList<double> Values => values;

    public void Add(double value) => values.Add(value);

    public double Median => MedianOf(values);

    /// <summary>The median of this[i] / other[i]: each ratio compares two runs made back to back, under the same load.</summary>
    public double MedianRatioTo(Samples other)
    {
        if (other.values.Count != values.Count)
            throw new ArgumentException($"cannot pair {values.Count} repeats with {other.values.Count}");
        return MedianOf(values.Zip(other.values, (mine, theirs) => mine / theirs).ToList());
    }

    public static double MedianOf(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
            throw new InvalidOperationException("no measurements were taken");
        var sorted = values.Order().ToArray();
        int middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
