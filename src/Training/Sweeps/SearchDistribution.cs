namespace Cluster.Training.Sweeps;

/// <summary>
/// One dimension of a search space, as Ray Tune defines it: <c>uniform</c>, <c>loguniform</c>, <c>randint</c> (upper
/// exclusive), <c>quniform</c> (multiples of q), <c>choice</c> and <c>grid</c> (enumerated by the grid searcher,
/// drawn like a choice by the others). Sampled values are <see cref="long"/>, <see cref="double"/>, <see cref="bool"/>
/// or <see cref="string"/>, the types the config system reads from YAML.
/// </summary>
public abstract record SearchDistribution
{
    /// <summary>The <c>type</c> name in the spec.</summary>
    public abstract string TypeName { get; }

    internal abstract object Sample(SweepRandom random);

    /// <summary>Values that between them reach every edge of the distribution (bounds, every choice): a trial config
    /// built with each must validate, so an impossible value is caught before any trial starts.</summary>
    public abstract IReadOnlyList<object> Extremes { get; }
}

/// <summary>A categorical dimension.</summary>
public abstract record CategoricalDistribution(IReadOnlyList<object> Values) : SearchDistribution
{
    public override IReadOnlyList<object> Extremes => Values;

    internal override object Sample(SweepRandom random) => Values[random.NextInt(Values.Count)];
}

public sealed record UniformDistribution(double Lower, double Upper) : SearchDistribution
{
    public override string TypeName => "uniform";
    public override IReadOnlyList<object> Extremes => [Lower, Upper];
    internal override object Sample(SweepRandom random) => Lower + random.NextDouble() * (Upper - Lower);
}

/// <summary>Uniform in log space (lower &gt; 0).</summary>
public sealed record LogUniformDistribution(double Lower, double Upper) : SearchDistribution
{
    public override string TypeName => "loguniform";
    public override IReadOnlyList<object> Extremes => [Lower, Upper];
    internal override object Sample(SweepRandom random) =>
        Math.Exp(Math.Log(Lower) + random.NextDouble() * (Math.Log(Upper) - Math.Log(Lower)));
}

/// <summary>An integer in [lower, upper), upper exclusive like Ray's <c>tune.randint</c>.</summary>
public sealed record RandIntDistribution(long Lower, long Upper) : SearchDistribution
{
    public override string TypeName => "randint";
    public override IReadOnlyList<object> Extremes => [Lower, Upper - 1];
    internal override object Sample(SweepRandom random) => Lower + (long)Math.Floor(random.NextDouble() * (Upper - Lower));
}

/// <summary>
/// Uniform in [lower, upper] rounded to a multiple of q (Ray's <c>tune.quniform</c>; both bounds are multiples of q).
/// When lower, upper and q are all integers in the spec the values are integers too.
/// </summary>
public sealed record QUniformDistribution(double Lower, double Upper, double Q, bool Integral) : SearchDistribution
{
    public override string TypeName => "quniform";
    public override IReadOnlyList<object> Extremes => [Quantize(Lower), Quantize(Upper)];
    internal override object Sample(SweepRandom random) => Quantize(Lower + random.NextDouble() * (Upper - Lower));

    /// <summary>The multiple of q nearest to <paramref name="value"/>, without binary noise (0.30000000000000004).</summary>
    public object Quantize(double value)
    {
        var steps = Math.Round(value / Q, MidpointRounding.ToEven);
        if (Integral) return (long)steps * (long)Q;
        return Math.Abs(steps * Q) < 1e15 ? (double)((decimal)steps * (decimal)Q) : steps * Q;
    }
}

public sealed record ChoiceDistribution(IReadOnlyList<object> Values) : CategoricalDistribution(Values)
{
    public override string TypeName => "choice";
}

/// <summary>Every value is tried by the grid searcher (Ray's <c>tune.grid_search</c>); others draw it like a choice.</summary>
public sealed record GridDistribution(IReadOnlyList<object> Values) : CategoricalDistribution(Values)
{
    public override string TypeName => "grid";
}

/// <summary>A search space entry: the dotted key path in the trial config and how its value is drawn.</summary>
public sealed record SearchDimension(string KeyPath, SearchDistribution Distribution);
