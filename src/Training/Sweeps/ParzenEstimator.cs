namespace Cluster.Training.Sweeps;

/// <summary>
/// The density model of one dimension in TPE (Bergstra et al. 2011, as hyperopt builds it): for numeric dimensions a
/// mixture of Gaussians truncated to the domain, one at each observation plus a wide prior at the centre, each with
/// the larger gap to its neighbours as bandwidth (clipped to [range / min(100, n + 1), range]); for categorical ones
/// the observed frequencies with one pseudo-count per value.
/// </summary>
internal abstract class ParzenEstimator
{
    public abstract double Sample(SweepRandom random);

    /// <summary>Log density (discrete dimensions: log probability) at an internal value.</summary>
    public abstract double LogDensity(double x);

    protected const double Floor = 1e-300;
}

/// <summary>Truncated Gaussian mixture on [low, high]; with <c>step</c> &gt; 0 the values are on a grid of that step and
/// the density of a value is the mass of its cell.</summary>
internal sealed class NumericParzenEstimator : ParzenEstimator
{
    private readonly double _low;
    private readonly double _high;
    private readonly double _step;
    private readonly double[] _mus;
    private readonly double[] _sigmas;
    private readonly double[] _masses;

    public NumericParzenEstimator(IReadOnlyList<double> observations, double low, double high, double step)
    {
        _low = low;
        _high = high;
        _step = step;
        var range = high - low;
        var prior = (low + high) / 2;
        var mus = observations.Append(prior).Order().ToArray();
        var sigmas = new double[mus.Length];
        var minimum = range / Math.Min(100.0, observations.Count + 1);
        for (var i = 0; i < mus.Length; i++)
        {
            var left = i > 0 ? mus[i] - mus[i - 1] : mus[i] - low;
            var right = i < mus.Length - 1 ? mus[i + 1] - mus[i] : high - mus[i];
            sigmas[i] = Math.Clamp(Math.Max(left, right), minimum, range);
        }
        // The prior keeps the full range as bandwidth wherever it sorted to.
        sigmas[Array.IndexOf(mus, prior)] = range;
        _mus = mus;
        _sigmas = sigmas;
        _masses = mus.Select((mu, i) => Math.Max(NormalCdf((high - mu) / sigmas[i]) - NormalCdf((low - mu) / sigmas[i]), Floor)).ToArray();
    }

    public override double Sample(SweepRandom random)
    {
        var component = random.NextInt(_mus.Length); // equal weights
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var x = _mus[component] + _sigmas[component] * random.NextNormal();
            if (x >= _low && x <= _high) return x;
        }
        return _low + random.NextDouble() * (_high - _low); // a component far outside the domain: its truncation is ~uniform
    }

    public override double LogDensity(double x)
    {
        double total = 0;
        for (var i = 0; i < _mus.Length; i++)
        {
            var (mu, sigma) = (_mus[i], _sigmas[i]);
            total += _step > 0
                ? (NormalCdf((Math.Min(x + _step / 2, _high) - mu) / sigma) - NormalCdf((Math.Max(x - _step / 2, _low) - mu) / sigma)) / _masses[i]
                : Math.Exp(-0.5 * Math.Pow((x - mu) / sigma, 2)) / (sigma * Math.Sqrt(2 * Math.PI)) / _masses[i];
        }
        return Math.Log(Math.Max(total / _mus.Length, Floor));
    }

    /// <summary>Φ(z) through erf (Abramowitz–Stegun 7.1.26, |error| &lt; 1.5e-7).</summary>
    internal static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + 0.3275911 * x);
        var poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
        var erf = 1 - poly * Math.Exp(-x * x);
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }
}

/// <summary>A categorical distribution over value indices: (count + 1) / (n + K).</summary>
internal sealed class CategoricalParzenEstimator : ParzenEstimator
{
    private readonly double[] _probabilities;

    public CategoricalParzenEstimator(IReadOnlyList<int> observations, int count)
    {
        var counts = new double[count];
        foreach (var index in observations) counts[index]++;
        _probabilities = counts.Select(c => (c + 1) / (observations.Count + count)).ToArray();
    }

    public override double Sample(SweepRandom random)
    {
        var u = random.NextDouble();
        for (var i = 0; i < _probabilities.Length; i++)
        {
            u -= _probabilities[i];
            if (u < 0) return i;
        }
        return _probabilities.Length - 1;
    }

    public override double LogDensity(double x) => Math.Log(Math.Max(_probabilities[(int)x], Floor));
}
