namespace Cluster.Training.Storage;

/// <summary>
/// The one rule for keys, shared by both backends so a key valid in one is valid in the other: relative,
/// '/'-separated, no empty, '.' or '..' segments, no backslashes, and no segment starting with '.' (the folder store
/// keeps its hash sidecars and temporary files under such names).
/// </summary>
public static class ArtifactKeys
{
    public static string Validate(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length == 0) throw new ArgumentException("artifact key is empty", nameof(key));
        if (key.Contains('\\') || key.StartsWith('/'))
            throw new ArgumentException($"artifact key '{key}' must be relative and '/'-separated", nameof(key));
        foreach (var segment in key.Split('/'))
        {
            if (segment.Length == 0 || segment.StartsWith('.'))
                throw new ArgumentException($"artifact key '{key}' has an empty segment or one starting with '.'", nameof(key));
        }
        return key;
    }

    /// <summary>A prefix for listing: empty, or a key-like path that may end in '/'.</summary>
    public static string ValidatePrefix(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        if (prefix.Length == 0) return prefix;
        Validate(prefix.EndsWith('/') ? prefix[..^1] : prefix);
        return prefix;
    }
}
