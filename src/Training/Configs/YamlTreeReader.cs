using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Cluster.Training.Configs;

/// <summary>
/// Parses the text of one YAML or JSON config file (JSON is read as YAML 1.2 flow content) into a raw tree.
/// Anchors/aliases and merge keys (<c>&lt;&lt;: *anchor</c>, explicit keys win) are resolved; the root must be a mapping.
/// </summary>
internal static partial class YamlTreeReader
{
    private const string MergeKey = "<<";

    public static Dictionary<string, object?> ReadMapping(string text, string file)
    {
        var stream = new YamlStream();
        var parser = new PositionTrackingParser(new Parser(new StringReader(text)));
        try
        {
            stream.Load(parser);
        }
        catch (YamlException e)
        {
            throw new ConfigException(file, "",
                $"YAML syntax error at line {e.Start.Line}, column {e.Start.Column}: {StripMarks(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner throws this (without a position) on e.g. a flow sequence left open across lines.
            throw new ConfigException(file, "",
                $"YAML syntax error after line {parser.LastEnd.Line}, column {parser.LastEnd.Column}: malformed content (an unclosed '[' or '{{'?)");
        }
        if (stream.Documents.Count > 1)
            throw new ConfigException(file, "", $"expected one YAML document, found {stream.Documents.Count}");
        if (stream.Documents.Count == 0) return [];
        return Convert(stream.Documents[0].RootNode, file) switch
        {
            Dictionary<string, object?> map => map,
            null => [],
            var other => throw new ConfigException(file, "", $"the top level must be a mapping, got {RawTree.Describe(other)}"),
        };
    }

    /// <summary>Parses one scalar, flow sequence or flow mapping, e.g. the value of a <c>--set key=value</c>.</summary>
    public static object? ReadValue(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new ConfigException(source, "", $"cannot parse value '{text}': {StripMarks(e)}");
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source);
    }

    private static object? Convert(YamlNode node, string file) => node switch
    {
        YamlScalarNode scalar => YamlScalarResolver.Resolve(scalar, file),
        YamlSequenceNode sequence => sequence.Children.Select(child => Convert(child, file)).ToList(),
        YamlMappingNode mapping => ConvertMapping(mapping, file),
        _ => throw new ConfigException(file, "", $"line {node.Start.Line}: unsupported YAML node {node.NodeType}"),
    };

    private static Dictionary<string, object?> ConvertMapping(YamlMappingNode mapping, string file)
    {
        var explicitKeys = mapping.Children.Keys.OfType<YamlScalarNode>().Select(k => k.Value).Where(k => k != MergeKey).ToHashSet();
        var result = new Dictionary<string, object?>();
        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { Length: > 0 } key })
                throw new ConfigException(file, "", $"line {keyNode.Start.Line}: mapping keys must be non-empty scalars");
            if (key == MergeKey && keyNode is YamlScalarNode { Style: ScalarStyle.Plain })
            {
                foreach (var (mergedKey, mergedValue) in MergedMappings(valueNode, keyNode.Start.Line, file).SelectMany(m => m))
                    if (!explicitKeys.Contains(mergedKey)) result.TryAdd(mergedKey, mergedValue);
            }
            else if (!result.TryAdd(key, Convert(valueNode, file)))
                throw new ConfigException(file, "", $"line {keyNode.Start.Line}: duplicate key '{key}'");
        }
        return result;
    }

    /// <summary>The mappings named by a merge key, earliest first (earlier ones win, as in YAML 1.1's merge type).</summary>
    private static IEnumerable<Dictionary<string, object?>> MergedMappings(YamlNode value, long mergeKeyLine, string file)
    {
        var nodes = value is YamlSequenceNode sequence ? sequence.Children : [value];
        return nodes.Select(node => Convert(node, file) as Dictionary<string, object?> ??
            throw new ConfigException(file, "", $"line {mergeKeyLine}: '<<' must merge a mapping or a list of mappings"));
    }

    private sealed class PositionTrackingParser(IParser inner) : IParser
    {
        public Mark LastEnd { get; private set; } = Mark.Empty;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            var moved = inner.MoveNext();
            if (inner.Current is { } current) LastEnd = current.End;
            return moved;
        }
    }

    private static string StripMarks(YamlException e) => MarkPrefix().Replace(e.Message, "");

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ")]
    private static partial Regex MarkPrefix();
}
