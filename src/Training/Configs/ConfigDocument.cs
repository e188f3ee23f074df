namespace Cluster.Training.Configs;

/// <summary>A loaded config: the fully merged raw tree, the file that defined each key, and the main file.</summary>
public sealed class ConfigDocument
{
    private readonly ConfigOrigins _origins;

    internal ConfigDocument(string mainFile, Dictionary<string, object?> root, ConfigOrigins origins)
    {
        MainFile = mainFile;
        Root = root;
        _origins = origins;
    }

    /// <summary>The config file, relative to the working directory when it lies below it.</summary>
    public string MainFile { get; }

    public Dictionary<string, object?> Root { get; }

    /// <summary>The file (or <c>--set ...</c> override) that defined <paramref name="keyPath"/>, else the main file.</summary>
    public string FileOf(string keyPath) => _origins.FileOf(keyPath) ?? MainFile;

    /// <summary>The raw value at a dotted key path (list elements by index); a missing key is a <see cref="ConfigException"/>.</summary>
    public object? Get(string keyPath) =>
        TryGet(keyPath, out var value) ? value : throw new ConfigException(FileOf(keyPath), keyPath, "missing key");

    public bool TryGet(string keyPath, out object? value)
    {
        value = Root;
        if (keyPath.Length == 0) return true;
        foreach (var segment in keyPath.Split('.'))
        {
            switch (value)
            {
                case Dictionary<string, object?> map when map.TryGetValue(segment, out var child):
                    value = child;
                    break;
                case List<object?> list when int.TryParse(segment, out var index) && index >= 0 && index < list.Count:
                    value = list[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        return true;
    }

    /// <summary>The merged config as block-style YAML in key order (what <c>cluster config print</c> shows).</summary>
    public string ToYaml() => ConfigYamlWriter.Write(Root);
}
