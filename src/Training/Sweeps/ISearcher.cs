namespace Cluster.Training.Sweeps;

/// <summary>
/// Suggests the hyperparameters of each trial. Deterministic: the same (seed, trial index, observations) always give
/// the same suggestion, so a sweep that restarts suggests what it suggested before; the order of
/// <c>observations</c> does not matter (they are taken by trial index).
/// </summary>
public interface ISearcher
{
    /// <summary>How many trials the sweep runs in all (grid: grid size × num_samples; otherwise num_samples).</summary>
    int TotalTrials { get; }

    /// <summary>
    /// Parameters (search key path → value) for trial <paramref name="trialIndex"/> (0-based), or null once
    /// <paramref name="trialIndex"/> ≥ <see cref="TotalTrials"/>.
    /// </summary>
    /// <param name="observations">Finished trials with a metric (completed or early-stopped), any order; model-based
    /// searchers learn from them, others ignore them.</param>
    IReadOnlyDictionary<string, object>? Suggest(int trialIndex, IReadOnlyList<TrialObservation> observations);
}

/// <summary>A finished trial as a searcher sees it: its parameters and its metric (the last one it reported).</summary>
public sealed record TrialObservation(int TrialIndex, IReadOnlyDictionary<string, object> Parameters, double Metric);
