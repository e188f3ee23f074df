namespace Cluster.Training.Configs;

/// <summary>
/// Makes a config's relative file paths absolute, so it reads the same files when it runs somewhere else than where it
/// was loaded (a cluster worker has another working directory). Follows MMEngine: <c>ann_file</c> and
/// <c>data_prefix.*</c> are relative to a sibling <c>data_root</c> when there is one (then only the root changes),
/// else to the working directory; AVA's <c>label_file</c>, <c>exclude_file</c> and <c>proposal_file</c> (AVADataset and
/// AVAMetric keys) like <c>ann_file</c>. URIs (<c>scheme://...</c>) and empty values are left alone.
/// </summary>
public static class ConfigPaths
{
    private static readonly HashSet<string> PathKeys = ["data_root", "load_from", "pretrained", "work_dir"];
    private static readonly HashSet<string> DataRootRelativeKeys = ["ann_file", "label_file", "exclude_file", "proposal_file"];
    private const string DataPrefix = "data_prefix";

    /// <summary>
    /// <c>key.path=value</c> overrides (as <c>--set</c> takes them) that replace each relative path below
    /// <paramref name="baseDirectory"/>; empty when every path is already absolute.
    /// </summary>
    public static IReadOnlyList<string> Absolutize(ConfigDocument document, string baseDirectory)
    {
        var overrides = new List<string>();
        Visit(document.Root, "", Path.GetFullPath(baseDirectory), overrides);
        return overrides;
    }

    private static void Visit(object? node, string keyPath, string baseDirectory, List<string> overrides)
    {
        switch (node)
        {
            case Dictionary<string, object?> map:
                bool hasDataRoot = map.TryGetValue("data_root", out var root) && root is string { Length: > 0 };
                foreach (var (key, value) in map)
                {
                    var childPath = Join(keyPath, key);
                    bool relativeToRoot = hasDataRoot && (DataRootRelativeKeys.Contains(key) || key == DataPrefix);
                    if (PathKeys.Contains(key) || (DataRootRelativeKeys.Contains(key) && !relativeToRoot))
                        AddIfRelative(value, childPath, baseDirectory, overrides);
                    else if (key == DataPrefix && !relativeToRoot && value is Dictionary<string, object?> prefixes)
                        foreach (var (kind, prefix) in prefixes)
                            AddIfRelative(prefix, Join(childPath, kind), baseDirectory, overrides);
                    else if (key != DataPrefix)
                        Visit(value, childPath, baseDirectory, overrides);
                }
                break;
            case List<object?> list:
                for (int i = 0; i < list.Count; i++)
                    Visit(list[i], Join(keyPath, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), baseDirectory, overrides);
                break;
        }
    }

    private static void AddIfRelative(object? value, string keyPath, string baseDirectory, List<string> overrides)
    {
        if (value is not string { Length: > 0 } path || IsUri(path) || Path.IsPathRooted(path)) return;
        var absolute = Path.GetFullPath(Path.Combine(baseDirectory, path));
        overrides.Add($"{keyPath}='{absolute.Replace("'", "''")}'");
    }

    private static bool IsUri(string path) => path.Contains("://", StringComparison.Ordinal);

    private static string Join(string keyPath, string key) => keyPath.Length == 0 ? key : $"{keyPath}.{key}";
}
