namespace Cluster.Training.Configs;

/// <summary>
/// A config error with a one-line message <c>"&lt;file&gt;: &lt;key.path&gt;: &lt;problem&gt;"</c> (or
/// <c>"&lt;file&gt;: &lt;problem&gt;"</c> when no key is at fault, e.g. a syntax error).
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, string keyPath, string problem)
        : base(keyPath.Length == 0 ? $"{file}: {problem}" : $"{file}: {keyPath}: {problem}")
    {
        File = file;
        KeyPath = keyPath;
        Problem = problem;
    }

    /// <summary>The config file (or <c>--set ...</c> override) that defined the faulty value.</summary>
    public string File { get; }

    /// <summary>Dotted key path of the faulty value (list elements by index); empty for file-level errors.</summary>
    public string KeyPath { get; }

    public string Problem { get; }
}
