namespace Cluster.Training.Sweeps;

/// <summary>
/// How TPE sees one dimension: the internal real line (log for loguniform, the value itself for uniform, randint and
/// quniform, the value's index for categories), the cell width of discrete dimensions, and the way back to a value.
/// </summary>
internal sealed class DimensionEncoding
{
    private readonly Func<object, double?> _encode;
    private readonly Func<double, double> _snap;
    private readonly Func<double, object> _decode;
    private readonly Func<IReadOnlyList<double>, ParzenEstimator> _fit;

    private DimensionEncoding(Func<object, double?> encode, Func<double, double> snap, Func<double, object> decode,
        Func<IReadOnlyList<double>, ParzenEstimator> fit)
    {
        _encode = encode;
        _snap = snap;
        _decode = decode;
        _fit = fit;
    }

    /// <summary>A parameter value → internal value; null when it is not a value of this dimension.</summary>
    public double? Encode(object value) => _encode(value);

    /// <summary>An internal draw → the internal value of the nearest valid value (discrete dimensions round).</summary>
    public double Snap(double x) => _snap(x);

    public object Decode(double x) => _decode(x);

    public ParzenEstimator Fit(IReadOnlyList<double> observations) => _fit(observations);

    public static DimensionEncoding For(SearchDistribution distribution) => distribution switch
    {
        UniformDistribution u => Continuous(u.Lower, u.Upper, x => x, x => x),
        LogUniformDistribution l => Continuous(Math.Log(l.Lower), Math.Log(l.Upper), Math.Log, Math.Exp),
        RandIntDistribution r => Discrete(r.Lower, r.Upper - 1, 1, x => (long)Math.Round(x)),
        QUniformDistribution q => Discrete(q.Lower, q.Upper, q.Q, x => q.Quantize(x)),
        CategoricalDistribution c => Categorical(c.Values),
        _ => throw new ArgumentException($"no TPE encoding for {distribution.TypeName}", nameof(distribution)),
    };

    private static DimensionEncoding Continuous(double low, double high, Func<double, double> forward, Func<double, double> backward) =>
        new(value => Number(value) is { } v && (forward(v) is var x) && double.IsFinite(x) ? Math.Clamp(x, low, high) : null,
            x => Math.Clamp(x, low, high),
            x => Math.Clamp(backward(x), backward(low), backward(high)),
            observations => new NumericParzenEstimator(observations, low, high, step: 0));

    /// <summary>Values first, first + step, ..., last; the domain extends half a cell beyond each end.</summary>
    private static DimensionEncoding Discrete(double first, double last, double step, Func<double, object> toValue) =>
        new(value => Number(value) is { } v ? Math.Clamp(Cell(v, first, last, step), first, last) : null,
            x => Math.Clamp(Cell(x, first, last, step), first, last),
            x => toValue(x),
            observations => new NumericParzenEstimator(observations, first - step / 2, last + step / 2, step));

    private static double Cell(double x, double first, double last, double step) => first + Math.Round((x - first) / step) * step;

    private static DimensionEncoding Categorical(IReadOnlyList<object> values) =>
        new(value => values.IndexOf(value) is var i and >= 0 ? i : null,
            x => x,
            x => values[(int)x],
            observations => new CategoricalParzenEstimator(observations.Select(x => (int)x).ToList(), values.Count));

    private static double? Number(object value) => value switch
    {
        long l => l,
        double d => d,
        int i => i,
        _ => null,
    };
}

file static class ListExtensions
{
    public static int IndexOf(this IReadOnlyList<object> values, object value)
    {
        for (var i = 0; i < values.Count; i++)
            if (values[i].Equals(value)) return i;
        return -1;
    }
}
