using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Cluster.Training.Configs;

/// <summary>
/// Writes a raw tree as block-style YAML that reads back to the same tree: strings that would resolve to another type
/// are quoted, floats always carry a '.' or exponent, lists of scalars are written in flow style.
/// </summary>
internal static class ConfigYamlWriter
{
    public static string Write(Dictionary<string, object?> root)
    {
        using var writer = new StringWriter();
        var emitter = new Emitter(writer, bestIndent: 2, bestWidth: int.MaxValue);
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart());
        WriteNode(emitter, root);
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return writer.ToString();
    }

    private static void WriteNode(IEmitter emitter, object? node)
    {
        switch (node)
        {
            case Dictionary<string, object?> map:
                emitter.Emit(new MappingStart(AnchorName.Empty, TagName.Empty, true,
                    map.Count == 0 ? MappingStyle.Flow : MappingStyle.Block));
                foreach (var (key, value) in map)
                {
                    WriteString(emitter, key);
                    WriteNode(emitter, value);
                }
                emitter.Emit(new MappingEnd());
                break;
            case List<object?> list:
                emitter.Emit(new SequenceStart(AnchorName.Empty, TagName.Empty, true,
                    list.All(RawTree.IsScalar) ? SequenceStyle.Flow : SequenceStyle.Block));
                foreach (var item in list) WriteNode(emitter, item);
                emitter.Emit(new SequenceEnd());
                break;
            case string text:
                WriteString(emitter, text);
                break;
            default:
                emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, RawTree.ScalarText(node), ScalarStyle.Plain, true, false));
                break;
        }
    }

    private static void WriteString(IEmitter emitter, string text)
    {
        var readsBackAsString = YamlScalarResolver.ResolvePlain(text) is string;
        emitter.Emit(new Scalar(AnchorName.Empty, TagName.Empty, text,
            readsBackAsString ? ScalarStyle.Any : ScalarStyle.DoubleQuoted, readsBackAsString, true));
    }
}
