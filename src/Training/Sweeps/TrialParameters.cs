using System.Globalization;
using System.Text.Json;
using Cluster.Training.Configs;

namespace Cluster.Training.Sweeps;

/// <summary>Trial parameter values as text: <c>--set</c> overrides that read back as the same typed value, and display.</summary>
public static class TrialParameters
{
    /// <summary><c>key.path=value</c> for each parameter, the value written so YAML reads it back with its type
    /// (a float keeps its '.', a string that looks like a number is quoted).</summary>
    public static IReadOnlyList<string> ToOverrides(IReadOnlyDictionary<string, object> parameters) =>
        parameters.Select(pair => $"{pair.Key}={YamlText(pair.Value)}").ToList();

    /// <summary>A value as a short human-readable text (floats in the shortest round-trip form).</summary>
    public static string Display(object value) => value switch
    {
        double d => d.ToString("G6", CultureInfo.InvariantCulture),
        string s => s,
        _ => RawTree.ScalarText(value),
    };

    /// <summary>A value as YAML text that <see cref="FromYamlText"/> reads back to the same typed value (e.g. to keep
    /// parameters as strings in grain state or a CSV).</summary>
    public static string ToYamlText(object value) => YamlText(value);

    /// <summary>The value of a YAML scalar written by <see cref="ToYamlText"/>.</summary>
    public static object FromYamlText(string text) => YamlTreeReader.ReadValue(text, "parameter") switch
    {
        null or Dictionary<string, object?> or List<object?> => throw new FormatException($"'{text}' is not a parameter value"),
        var value => value,
    };

    private static string YamlText(object value) => value switch
    {
        // A JSON string literal is a YAML double-quoted scalar: always read back as this exact string.
        string text => JsonSerializer.Serialize(text),
        long or double or bool => RawTree.ScalarText(value),
        int i => RawTree.ScalarText((long)i),
        _ => throw new ArgumentException($"unsupported parameter value type {value.GetType().Name}", nameof(value)),
    };
}
