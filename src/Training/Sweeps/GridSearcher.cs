namespace Cluster.Training.Sweeps;

/// <summary>
/// Ray Tune's grid search: every combination of the grid dimensions' values, the whole grid repeated num_samples
/// times; other dimensions are drawn at random per trial. Trial i takes combination i mod grid size; combinations are
/// in declaration order with the last grid dimension varying fastest (like itertools.product).
/// </summary>
public sealed class GridSearcher(IReadOnlyList<SearchDimension> space, int numSamples, long seed) : ISearcher
{
    private const long Stream = 2;

    public int TotalTrials => GridSize(space) * numSamples;

    /// <summary>Combinations in one pass over the grid (1 without grid dimensions).</summary>
    public static int GridSize(IReadOnlyList<SearchDimension> space) =>
        space.Select(d => d.Distribution).OfType<GridDistribution>().Aggregate(1, (size, grid) => checked(size * grid.Values.Count));

    public IReadOnlyDictionary<string, object>? Suggest(int trialIndex, IReadOnlyList<TrialObservation> observations)
    {
        if (trialIndex < 0 || trialIndex >= TotalTrials) return null;
        var random = new SweepRandom(seed, trialIndex, Stream);
        var remainder = trialIndex % GridSize(space);
        var parameters = new Dictionary<string, object>();
        // Walk the grid dimensions from the last (fastest) to the first, taking digits of the mixed-radix index.
        foreach (var dimension in space.Reverse())
        {
            if (dimension.Distribution is not GridDistribution grid) continue;
            parameters[dimension.KeyPath] = grid.Values[remainder % grid.Values.Count];
            remainder /= grid.Values.Count;
        }
        foreach (var dimension in space)
            if (dimension.Distribution is not GridDistribution)
                parameters[dimension.KeyPath] = dimension.Distribution.Sample(random);
        return space.ToDictionary(d => d.KeyPath, d => parameters[d.KeyPath]);
    }
}
