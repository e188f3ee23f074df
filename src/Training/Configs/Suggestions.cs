namespace Cluster.Training.Configs;

/// <summary>"Did you mean" hints for misspelt keys and type names.</summary>
internal static class Suggestions
{
    /// <summary>" (did you mean 'x'?)" when a candidate is within a few edits, else optionally the list of candidates.</summary>
    public static string DidYouMean(string given, IEnumerable<string> candidates, bool listAllOtherwise)
    {
        var known = candidates.ToList();
        var closest = known
            .Select(candidate => (candidate, distance: EditDistance(given.ToLowerInvariant(), candidate.ToLowerInvariant())))
            .Where(pair => pair.distance <= Math.Max(1, given.Length / 3))
            .OrderBy(pair => pair.distance)
            .Select(pair => pair.candidate)
            .FirstOrDefault();
        if (closest is not null) return $" (did you mean '{closest}'?)";
        return listAllOtherwise && known.Count > 0 ? $" (known: {string.Join(", ", known)})" : "";
    }

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1),
                    previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }
}
