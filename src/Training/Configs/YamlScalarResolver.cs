using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cluster.Training.Configs;

/// <summary>
/// Turns a YAML scalar into its raw value with the YAML 1.2 core schema (the one JSON also satisfies): plain
/// <c>null</c>/<c>~</c>/empty → null, <c>true</c>/<c>false</c> → bool, integers → long, floats (<c>1e-4</c> too) →
/// double, anything else or any quoted scalar → string. Explicit <c>!!str</c>, <c>!!int</c>, <c>!!float</c> tags win.
/// </summary>
internal static partial class YamlScalarResolver
{
    public static object? Resolve(YamlScalarNode node, string file)
    {
        var text = node.Value ?? "";
        var tag = node.Tag.IsEmpty ? "" : node.Tag.Value;
        switch (tag)
        {
            case "tag:yaml.org,2002:str": return text;
            case "tag:yaml.org,2002:int": return ParseInteger(text) ?? throw BadTag(node, file, "integer");
            case "tag:yaml.org,2002:float": return ParseFloat(text) ?? throw BadTag(node, file, "float");
            case "tag:yaml.org,2002:bool": return ParseBool(text) ?? throw BadTag(node, file, "boolean");
            case "tag:yaml.org,2002:null": return null;
        }
        if (node.Style != ScalarStyle.Plain && node.Style != ScalarStyle.Any) return text;
        return ResolvePlain(text);
    }

    public static object? ResolvePlain(string text)
    {
        if (text is "" or "~" or "null" or "Null" or "NULL") return null;
        return ParseBool(text) ?? ParseInteger(text) ?? ParseFloat(text) ?? (object)text;
    }

    private static object? ParseBool(string text) => text switch
    {
        "true" or "True" or "TRUE" => true,
        "false" or "False" or "FALSE" => false,
        _ => null,
    };

    private static object? ParseInteger(string text)
    {
        if (DecimalInteger().IsMatch(text) &&
            long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            return value;
        if (text.StartsWith("0x", StringComparison.Ordinal) &&
            long.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
            return hex;
        if (text.StartsWith("0o", StringComparison.Ordinal) && text.Length > 2 && text[2..].All(c => c is >= '0' and <= '7'))
            return Convert.ToInt64(text[2..], 8);
        return null;
    }

    private static object? ParseFloat(string text)
    {
        if (DecimalFloat().IsMatch(text))
            return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return text switch
        {
            ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF" => double.PositiveInfinity,
            "-.inf" or "-.Inf" or "-.INF" => double.NegativeInfinity,
            ".nan" or ".NaN" or ".NAN" => double.NaN,
            _ => null,
        };
    }

    private static ConfigException BadTag(YamlScalarNode node, string file, string kind) =>
        new(file, "", $"line {node.Start.Line}: '{node.Value}' is not a valid {kind}");

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex DecimalInteger();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex DecimalFloat();
}
