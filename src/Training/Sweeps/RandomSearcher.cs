namespace Cluster.Training.Sweeps;

/// <summary>Each trial draws every dimension independently (grid dimensions like a choice), from its own stream
/// of (seed, trial index).</summary>
public sealed class RandomSearcher(IReadOnlyList<SearchDimension> space, int numSamples, long seed) : ISearcher
{
    internal const long Stream = 1;

    public int TotalTrials => numSamples;

    public IReadOnlyDictionary<string, object>? Suggest(int trialIndex, IReadOnlyList<TrialObservation> observations) =>
        trialIndex < 0 || trialIndex >= numSamples ? null : Sample(space, new SweepRandom(seed, trialIndex, Stream));

    internal static Dictionary<string, object> Sample(IReadOnlyList<SearchDimension> space, SweepRandom random) =>
        space.ToDictionary(dimension => dimension.KeyPath, dimension => dimension.Distribution.Sample(random));
}
