namespace Cluster.Training.Configs;

/// <summary>
/// Which file (or <c>--set</c> override) defined each key path of a merged config. Values inside lists are owned by
/// the list's key unless an override set an element explicitly, so a lookup falls back to the nearest recorded ancestor.
/// </summary>
internal sealed class ConfigOrigins
{
    private readonly Dictionary<string, string> _fileByKeyPath = [];

    /// <summary>Records <paramref name="file"/> as the definer of <paramref name="keyPath"/>, forgetting whatever was
    /// recorded beneath it (the old subtree was replaced).</summary>
    public void Replace(string keyPath, string file)
    {
        var prefix = keyPath + ".";
        foreach (var stale in _fileByKeyPath.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
            _fileByKeyPath.Remove(stale);
        _fileByKeyPath[keyPath] = file;
    }

    public void Absorb(ConfigOrigins other)
    {
        foreach (var (keyPath, file) in other._fileByKeyPath) _fileByKeyPath[keyPath] = file;
    }

    public string? FileOf(string keyPath)
    {
        for (var path = keyPath; ; path = path[..path.LastIndexOf('.')])
        {
            if (_fileByKeyPath.TryGetValue(path, out var file)) return file;
            if (!path.Contains('.')) return null;
        }
    }
}
