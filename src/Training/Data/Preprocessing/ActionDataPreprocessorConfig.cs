using System.Globalization;
using Cluster.Training.Configs;

namespace Cluster.Training.Data.Preprocessing;

/// <summary>The model's <c>data_preprocessor</c> (MMAction2 1.x <c>ActionDataPreprocessor</c>).</summary>
[ConfigType("ActionDataPreprocessor")]
public sealed class ActionDataPreprocessorConfig
{
    public List<double>? Mean { get; init; }
    public List<double>? Std { get; init; }
    public bool ToRgb { get; init; }
    public bool ToFloat32 { get; init; } = true;
    public string FormatShape { get; init; } = "NCHW";

    /// <summary>Reads the raw <c>data_preprocessor</c> tree (keys mean, std, to_rgb, to_float32, format_shape).</summary>
    public static ActionDataPreprocessorConfig FromDictionary(IReadOnlyDictionary<string, object?> tree)
    {
        var known = new HashSet<string> { "type", "mean", "std", "to_rgb", "to_float32", "format_shape" };
        var unknown = tree.Keys.FirstOrDefault(key => !known.Contains(key));
        if (unknown is not null)
            throw new ArgumentException($"data_preprocessor.{unknown}: unknown key (known: {string.Join(", ", known)})");
        return new ActionDataPreprocessorConfig
        {
            Mean = Numbers(tree, "mean"),
            Std = Numbers(tree, "std"),
            ToRgb = Flag(tree, "to_rgb", false),
            ToFloat32 = Flag(tree, "to_float32", true),
            FormatShape = tree.TryGetValue("format_shape", out var format) && format is not null
                ? format as string ?? throw new ArgumentException("data_preprocessor.format_shape: expected a string")
                : "NCHW",
        };
    }

    private static List<double>? Numbers(IReadOnlyDictionary<string, object?> tree, string key)
    {
        if (!tree.TryGetValue(key, out var value) || value is null)
            return null;
        if (value is not IEnumerable<object?> items)
            throw new ArgumentException($"data_preprocessor.{key}: expected a list of numbers");
        return items.Select((item, i) => item switch
        {
            long or int or double or float => Convert.ToDouble(item, CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"data_preprocessor.{key}[{i}]: expected a number"),
        }).ToList();
    }

    private static bool Flag(IReadOnlyDictionary<string, object?> tree, string key, bool fallback) =>
        !tree.TryGetValue(key, out var value) || value is null ? fallback
        : value as bool? ?? throw new ArgumentException($"data_preprocessor.{key}: expected true or false");
}
