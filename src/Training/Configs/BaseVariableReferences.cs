using System.Text.RegularExpressions;

namespace Cluster.Training.Configs;

/// <summary>
/// MMEngine's <c>{{_base_.a.b}}</c> references. Like MMEngine, references are swapped for placeholder tokens in the
/// file text before parsing (so an unquoted <c>key: {{_base_.x}}</c> is not read as a YAML flow mapping), and after the
/// bases are loaded a placeholder that is a whole value becomes a deep copy of the base value, while a placeholder
/// inside a longer string is replaced textually by the (scalar) base value.
/// </summary>
internal sealed partial class BaseVariableReferences
{
    private readonly Dictionary<string, string> _basePathByPlaceholder = [];

    private BaseVariableReferences() { }

    public bool IsEmpty => _basePathByPlaceholder.Count == 0;

    /// <summary>Replaces every reference in <paramref name="text"/> with a placeholder that parses as a plain string.</summary>
    public static (string Text, BaseVariableReferences References) Extract(string text)
    {
        var references = new BaseVariableReferences();
        var substituted = Reference().Replace(text, match =>
        {
            var placeholder = $"__base_var_{references._basePathByPlaceholder.Count}__";
            references._basePathByPlaceholder[placeholder] = match.Groups[1].Value;
            return placeholder;
        });
        return (substituted, references);
    }

    /// <summary>Resolves the placeholders in <paramref name="tree"/> against the combined bases of <paramref name="file"/>.</summary>
    public void Substitute(Dictionary<string, object?> tree, Dictionary<string, object?> bases, string file)
    {
        if (IsEmpty) return;
        foreach (var key in tree.Keys.ToList())
            tree[key] = SubstituteIn(tree[key], bases, file, key);
    }

    private object? SubstituteIn(object? node, Dictionary<string, object?> bases, string file, string keyPath)
    {
        switch (node)
        {
            case Dictionary<string, object?> map:
                foreach (var key in map.Keys.ToList())
                    map[key] = SubstituteIn(map[key], bases, file, RawTree.JoinPath(keyPath, key));
                return map;
            case List<object?> list:
                for (var i = 0; i < list.Count; i++)
                    list[i] = SubstituteIn(list[i], bases, file, RawTree.JoinPath(keyPath, i.ToString()));
                return list;
            case string text when _basePathByPlaceholder.TryGetValue(text, out var wholeValuePath):
                return RawTree.DeepCopy(LookUp(wholeValuePath, bases, file, keyPath));
            case string text:
                return Placeholder().Replace(text, match => InlineText(match.Value, bases, file, keyPath));
            default:
                return node;
        }
    }

    private string InlineText(string placeholder, Dictionary<string, object?> bases, string file, string keyPath)
    {
        if (!_basePathByPlaceholder.TryGetValue(placeholder, out var basePath)) return placeholder;
        var value = LookUp(basePath, bases, file, keyPath);
        if (!RawTree.IsScalar(value))
            throw new ConfigException(file, keyPath,
                $"{{{{_base_.{basePath}}}}} is {RawTree.Describe(value)} and cannot be inserted into a string");
        return RawTree.ScalarText(value);
    }

    private static object? LookUp(string basePath, Dictionary<string, object?> bases, string file, string keyPath)
    {
        object? node = bases;
        foreach (var segment in basePath.Split('.'))
        {
            node = node switch
            {
                Dictionary<string, object?> map when map.TryGetValue(segment, out var child) => child,
                List<object?> list when int.TryParse(segment, out var index) && index >= 0 && index < list.Count => list[index],
                _ => throw new ConfigException(file, keyPath,
                    $"{{{{_base_.{basePath}}}}} refers to a key that no base file defines"),
            };
        }
        return node;
    }

    [GeneratedRegex(@"\{\{\s*_base_\.([\w.]+?)\s*\}\}")]
    private static partial Regex Reference();

    [GeneratedRegex(@"__base_var_\d+__")]
    private static partial Regex Placeholder();
}
