using System.Globalization;

namespace Cluster.Grains.Sweeps;

/// <summary>Trial and experiment ids of a sweep: <c>{sweep}-t{NNN}</c> for a trial and its first experiment,
/// <c>{sweep}-t{NNN}-r{k}</c> for its k-th retry.</summary>
public static class TrialIds
{
    public static string Trial(string sweepId, int index) => $"{sweepId}-t{index.ToString("D3", CultureInfo.InvariantCulture)}";

    public static string Experiment(string sweepId, int index, int attempt) =>
        attempt == 0 ? Trial(sweepId, index) : $"{Trial(sweepId, index)}-r{attempt.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The trial index and attempt an experiment id of this sweep names, or null for any other id.</summary>
    public static (int Index, int Attempt)? Parse(string sweepId, string id)
    {
        var prefix = sweepId + "-t";
        if (!id.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var rest = id.AsSpan(prefix.Length);
        int dash = rest.IndexOf("-r", StringComparison.Ordinal);
        var indexText = dash < 0 ? rest : rest[..dash];
        if (!int.TryParse(indexText, NumberStyles.None, CultureInfo.InvariantCulture, out int index)) return null;
        if (dash < 0) return (index, 0);
        return int.TryParse(rest[(dash + 2)..], NumberStyles.None, CultureInfo.InvariantCulture, out int attempt) && attempt > 0
            ? (index, attempt)
            : null;
    }
}
