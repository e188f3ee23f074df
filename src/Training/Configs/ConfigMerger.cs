namespace Cluster.Training.Configs;

/// <summary>
/// MMEngine's <c>Config._merge_a_into_b</c>: a mapping merges key by key into a mapping; <c>_delete_: true</c> makes
/// it replace the base mapping instead (the marker is dropped); a mapping cannot merge into a non-mapping; every other
/// value, lists included, replaces. With <c>allowListIndices</c> (command-line overrides only) a mapping with integer
/// keys merges into a list element by element.
/// </summary>
internal sealed class ConfigMerger(ConfigOrigins origins, bool allowListIndices)
{
    public const string DeleteMarker = "_delete_";

    public void MergeInto(Dictionary<string, object?> target, Dictionary<string, object?> source, string file, string keyPath)
    {
        foreach (var (key, value) in source)
        {
            if (key == DeleteMarker) continue;
            var childPath = RawTree.JoinPath(keyPath, key);
            var exists = target.TryGetValue(key, out var existing);
            target[key] = MergeValue(exists, existing, value, file, childPath);
        }
    }

    private object? MergeValue(bool exists, object? existing, object? incoming, string file, string keyPath)
    {
        if (incoming is not Dictionary<string, object?> incomingMap)
        {
            origins.Replace(keyPath, file);
            return incoming;
        }
        if (exists && !WantsDelete(incomingMap, file, keyPath))
        {
            switch (existing)
            {
                case Dictionary<string, object?> existingMap:
                    MergeInto(existingMap, incomingMap, file, keyPath);
                    return existingMap;
                case List<object?> existingList when allowListIndices:
                    MergeIntoList(existingList, incomingMap, file, keyPath);
                    return existingList;
                default:
                    throw new ConfigException(file, keyPath,
                        $"cannot merge a mapping into {RawTree.Describe(existing)} defined in {origins.FileOf(keyPath)} " +
                        $"(add '{DeleteMarker}: true' to replace it)");
            }
        }
        origins.Replace(keyPath, file);
        var fresh = new Dictionary<string, object?>();
        MergeInto(fresh, incomingMap, file, keyPath);
        return fresh;
    }

    private void MergeIntoList(List<object?> target, Dictionary<string, object?> source, string file, string keyPath)
    {
        foreach (var (key, value) in source)
        {
            var childPath = RawTree.JoinPath(keyPath, key);
            if (!int.TryParse(key, out var index) || index < 0)
                throw new ConfigException(file, childPath, $"'{key}' is not a list index (the list defined in {origins.FileOf(keyPath)})");
            if (index >= target.Count)
                throw new ConfigException(file, childPath, $"index {index} is out of range for a list of length {target.Count}");
            target[index] = MergeValue(true, target[index], value, file, childPath);
        }
    }

    private static bool WantsDelete(Dictionary<string, object?> map, string file, string keyPath) =>
        map.TryGetValue(DeleteMarker, out var marker) && (marker as bool? ??
            throw new ConfigException(file, RawTree.JoinPath(keyPath, DeleteMarker), $"must be true or false, got {RawTree.Describe(marker)}"));
}
