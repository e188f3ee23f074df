namespace Cluster.Training.Configs;

/// <summary>Entry point of the config system: file + <c>_base_</c> chain + <c>--set</c> overrides → <see cref="ConfigDocument"/>.</summary>
public static class ConfigLoader
{
    /// <summary>Loads a training config (YAML or JSON), applies <c>key.path=value</c> overrides in order and rejects
    /// unknown top-level keys.</summary>
    public static ConfigDocument Load(string path, IReadOnlyList<string>? overrides = null)
    {
        var document = LoadUnvalidated(path, overrides);
        TopLevelConfigKeys.Validate(document);
        return document;
    }

    /// <summary>Same MMEngine semantics without the top-level key policy (any MMEngine-style config).</summary>
    public static ConfigDocument LoadUnvalidated(string path, IReadOnlyList<string>? overrides = null)
    {
        var (tree, origins, file) = ConfigFileLoader.Load(path);
        ConfigOverrides.Apply(tree, origins, overrides ?? []);
        return new ConfigDocument(file, tree, origins);
    }

    /// <summary>
    /// A merged config as text (what <see cref="ConfigDocument.ToYaml"/> wrote, e.g. shipped to a cluster worker):
    /// no <c>_base_</c> chain remains; <paramref name="name"/> stands for the file in error messages.
    /// </summary>
    public static ConfigDocument LoadMerged(string yaml, string name, IReadOnlyList<string>? overrides = null)
    {
        var document = LoadMergedUnvalidated(yaml, name, overrides);
        TopLevelConfigKeys.Validate(document);
        return document;
    }

    /// <summary><see cref="LoadMerged"/> without the top-level key policy (a sweep spec adds its own sections).</summary>
    internal static ConfigDocument LoadMergedUnvalidated(string yaml, string name, IReadOnlyList<string>? overrides = null)
    {
        var (substituted, references) = BaseVariableReferences.Extract(yaml);
        var tree = YamlTreeReader.ReadMapping(substituted, name);
        if (tree.ContainsKey(ConfigFileLoader.BaseKey))
            throw new ConfigException(name, ConfigFileLoader.BaseKey, "a merged config cannot name base files");
        references.Substitute(tree, new Dictionary<string, object?>(), name);
        var origins = new ConfigOrigins();
        ConfigOverrides.Apply(tree, origins, overrides ?? []);
        return new ConfigDocument(name, tree, origins);
    }
}
