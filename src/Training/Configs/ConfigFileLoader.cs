namespace Cluster.Training.Configs;

/// <summary>
/// Loads one config file with its <c>_base_</c> chain (MMEngine's <c>Config._file2dict</c>): bases are paths relative
/// to the file naming them, loaded recursively and combined (a key defined by two bases is an error); the file's own
/// <c>{{_base_.x}}</c> references are resolved against the combined bases, then the file is merged into them.
/// </summary>
internal static class ConfigFileLoader
{
    public const string BaseKey = "_base_";

    private static readonly string[] SupportedExtensions = [".yaml", ".yml", ".json"];

    /// <summary>The merged tree, who defined each key, and the file's name as errors print it.</summary>
    public static (Dictionary<string, object?> Tree, ConfigOrigins Origins, string File) Load(string path)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath)) throw new ConfigException(path, "", "config file not found");
        var (tree, origins) = Load(fullPath, []);
        return (tree, origins, DisplayPath(fullPath));
    }

    private static (Dictionary<string, object?> Tree, ConfigOrigins Origins) Load(string fullPath, List<string> chain)
    {
        var file = DisplayPath(fullPath);
        if (chain.Contains(fullPath))
            throw new ConfigException(file, BaseKey,
                "circular _base_ inheritance: " + string.Join(" -> ", chain.Append(fullPath).Select(DisplayPath)));
        if (!SupportedExtensions.Contains(Path.GetExtension(fullPath).ToLowerInvariant()))
            throw new ConfigException(file, "", $"unsupported config file type (expected {string.Join(", ", SupportedExtensions)})");

        var text = File.ReadAllText(fullPath);
        if (Path.GetExtension(fullPath).Equals(".json", StringComparison.OrdinalIgnoreCase))
            text = text.Replace('\t', ' '); // JSON allows tabs only as whitespace; YAML does not indent with them.
        var (substituted, references) = BaseVariableReferences.Extract(text);
        var tree = YamlTreeReader.ReadMapping(substituted, file);

        var origins = new ConfigOrigins();
        var combinedBases = new Dictionary<string, object?>();
        chain.Add(fullPath);
        foreach (var basePath in BasePaths(tree, file))
        {
            var baseFullPath = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(fullPath)!, basePath));
            if (!File.Exists(baseFullPath))
                throw new ConfigException(file, BaseKey, $"base file '{basePath}' not found (looked for {DisplayPath(baseFullPath)})");
            var (baseTree, baseOrigins) = Load(baseFullPath, chain);
            foreach (var (key, value) in baseTree)
            {
                if (!combinedBases.TryAdd(key, value))
                    throw new ConfigException(DisplayPath(baseFullPath), key,
                        $"duplicate key among bases: also defined in {origins.FileOf(key)}");
            }
            origins.Absorb(baseOrigins);
        }
        chain.RemoveAt(chain.Count - 1);

        references.Substitute(tree, combinedBases, file);
        new ConfigMerger(origins, allowListIndices: false).MergeInto(combinedBases, tree, file, "");
        return (combinedBases, origins);
    }

    private static List<string> BasePaths(Dictionary<string, object?> tree, string file)
    {
        if (!tree.Remove(BaseKey, out var bases)) return [];
        return bases switch
        {
            string single => [single],
            List<object?> list when list.All(item => item is string) => list.Cast<string>().ToList(),
            _ => throw new ConfigException(file, BaseKey, $"must be a path or a list of paths, got {RawTree.Describe(bases)}"),
        };
    }

    /// <summary>Paths under the working directory print relative to it, others in full.</summary>
    private static string DisplayPath(string fullPath)
    {
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, fullPath);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? fullPath : relative;
    }
}
