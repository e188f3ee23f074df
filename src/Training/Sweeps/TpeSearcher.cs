namespace Cluster.Training.Sweeps;

/// <summary>
/// Tree-structured Parzen Estimator (Bergstra et al. 2011), each dimension independently as hyperopt and Optuna do by
/// default. Until n_startup_trials observations exist a trial is drawn as the random searcher draws it. Then the
/// observations (non-NaN metric) are split into the best ⌈γ·n⌉ ("good", by metric and mode) and the rest; per
/// dimension, a Parzen estimator l is fitted to the good values and g to the rest, n_ei_candidates values are drawn from
/// l and the one maximizing l(x)/g(x) (the expected improvement's argmax) is taken. Estimators work in each
/// distribution's own space: log for loguniform, integer cells for randint, q-cells for quniform, categories for
/// choice and grid.
/// </summary>
public sealed class TpeSearcher(IReadOnlyList<SearchDimension> space, int numSamples, long seed, MetricMode mode, TpeSettings settings) : ISearcher
{
    private const long Stream = 3;

    public int TotalTrials => numSamples;

    public IReadOnlyDictionary<string, object>? Suggest(int trialIndex, IReadOnlyList<TrialObservation> observations)
    {
        if (trialIndex < 0 || trialIndex >= numSamples) return null;
        var usable = observations.Where(o => !double.IsNaN(o.Metric)).OrderBy(o => o.TrialIndex).ToList();
        if (usable.Count == 0 || usable.Count < settings.NStartupTrials)
            return RandomSearcher.Sample(space, new SweepRandom(seed, trialIndex, RandomSearcher.Stream));

        // Stable order: best first, ties by trial index.
        var ranked = (mode == MetricMode.Max ? usable.OrderByDescending(o => o.Metric) : usable.OrderBy(o => o.Metric)).ToList();
        var goodCount = Math.Max(1, (int)Math.Ceiling(settings.Gamma * ranked.Count));
        var good = ranked.Take(goodCount).ToList();
        var bad = ranked.Skip(goodCount).ToList();

        var random = new SweepRandom(seed, trialIndex, Stream);
        var parameters = new Dictionary<string, object>();
        foreach (var dimension in space)
        {
            var encoding = DimensionEncoding.For(dimension.Distribution);
            var l = encoding.Fit(Values(good, dimension.KeyPath, encoding));
            var g = encoding.Fit(Values(bad, dimension.KeyPath, encoding));
            double best = double.NaN, bestScore = double.NegativeInfinity;
            for (var i = 0; i < settings.NEiCandidates; i++)
            {
                var candidate = encoding.Snap(l.Sample(random));
                var score = l.LogDensity(candidate) - g.LogDensity(candidate);
                if (score > bestScore) (best, bestScore) = (candidate, score);
            }
            parameters[dimension.KeyPath] = encoding.Decode(best);
        }
        return parameters;
    }

    private static List<double> Values(List<TrialObservation> trials, string keyPath, DimensionEncoding encoding) =>
        trials.Select(t => t.Parameters.TryGetValue(keyPath, out var value) ? encoding.Encode(value) : null)
            .OfType<double>().ToList();
}
