namespace Cluster.Training.Configs;

/// <summary>
/// Command-line overrides <c>key.path=value</c> (MMEngine's <c>--cfg-options</c>, our <c>--set</c>): the value is read as
/// a YAML scalar, flow sequence or flow mapping, and merged like a child config, except that integer keys may index
/// into lists (<c>param_scheduler.0.milestones=[20,40]</c>).
/// </summary>
internal static class ConfigOverrides
{
    public static void Apply(Dictionary<string, object?> tree, ConfigOrigins origins, IEnumerable<string> overrides)
    {
        var merger = new ConfigMerger(origins, allowListIndices: true);
        foreach (var text in overrides)
        {
            var source = Describe(text);
            var separator = text.IndexOf('=');
            if (separator < 0) throw new ConfigException(source, "", "an override must look like key.path=value");
            var keys = text[..separator].Trim().Split('.');
            if (keys.Any(key => key.Length == 0))
                throw new ConfigException(source, "", $"'{text[..separator]}' is not a valid key path");

            object? nested = YamlTreeReader.ReadValue(text[(separator + 1)..], source);
            for (var i = keys.Length - 1; i >= 0; i--)
                nested = new Dictionary<string, object?> { [keys[i]] = nested };
            merger.MergeInto(tree, (Dictionary<string, object?>)nested!, source, "");
        }
    }

    private static string Describe(string text) => $"--set {text}";
}
