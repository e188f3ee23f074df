using System.Globalization;

namespace Cluster.Training.Configs;

/// <summary>
/// Helpers for raw config trees: <c>Dictionary&lt;string, object?&gt;</c> (key order kept), <c>List&lt;object?&gt;</c>,
/// string, long, double, bool and null.
/// </summary>
public static class RawTree
{
    public static object? DeepCopy(object? node) => node switch
    {
        Dictionary<string, object?> map => map.ToDictionary(kv => kv.Key, kv => DeepCopy(kv.Value)),
        List<object?> list => list.Select(DeepCopy).ToList(),
        _ => node,
    };

    public static bool IsScalar(object? node) => node is not (Dictionary<string, object?> or List<object?>);

    public static string JoinPath(string parent, string key) => parent.Length == 0 ? key : $"{parent}.{key}";

    /// <summary>How a value reads in an error message: its kind plus a short rendering of scalars.</summary>
    public static string Describe(object? node) => node switch
    {
        null => "null",
        Dictionary<string, object?> => "a mapping",
        List<object?> => "a list",
        string s => $"string '{s}'",
        bool b => $"boolean {(b ? "true" : "false")}",
        long l => $"integer {l.ToString(CultureInfo.InvariantCulture)}",
        double d => $"float {FormatDouble(d)}",
        _ => node.GetType().Name,
    };

    /// <summary>Shortest round-trip text of a double that still reads back as a float (40 → "40.0").</summary>
    public static string FormatDouble(double value)
    {
        if (double.IsNaN(value)) return ".nan";
        if (double.IsPositiveInfinity(value)) return ".inf";
        if (double.IsNegativeInfinity(value)) return "-.inf";
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.') || text.Contains('E') ? text : text + ".0";
    }

    /// <summary>A scalar as text, the way it would be written in YAML (used for substitution inside strings).</summary>
    public static string ScalarText(object? scalar) => scalar switch
    {
        null => "null",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        _ => throw new ArgumentException($"not a scalar: {scalar.GetType().Name}", nameof(scalar)),
    };
}
