using System.Globalization;
using System.Text.RegularExpressions;
using Cluster.Training.Data.Ava;

namespace Cluster.Training.Evaluation.Ava;

/// <summary>An action class of an AVA label map.</summary>
public sealed record AvaCategory(int Id, string Name);

/// <summary>
/// Reads what AVA's frame mAP needs from MMAction2's evaluation files: the label map (pbtxt), the ground-truth CSV and
/// the excluded keyframes CSV. Every malformed line is an <see cref="InvalidDataException"/> naming the file and the
/// 1-based line. (The avadata branch has its own dataset readers; these read only what ava_utils.py reads.)
/// </summary>
public static partial class AvaGroundTruthFiles
{
    /// <summary>
    /// <c>item { name: "..." id: N }</c> blocks, on one line or several; <c>label_id: N</c> is accepted for
    /// <c>id</c> and AVA's full list (<c>label { name: ... label_id: N label_type: ... }</c>) is read too, as MMAction2's
    /// read_labelmap does. Classes in file order.
    /// </summary>
    public static IReadOnlyList<AvaCategory> ReadLabelMap(string path)
    {
        var text = ReadAll(path, "label map");
        var categories = new List<AvaCategory>();
        var ids = new HashSet<int>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        int itemLine = 0, depth = 0;
        string? name = null;
        int? id = null;
        foreach (Match token in LabelMapToken().Matches(text))
        {
            int line = LineOf(text, token.Index);
            if (token.Groups["comment"].Success) continue;
            if (token.Groups["bad"].Success) throw Error(path, line, $"unexpected '{token.Value}' (expected item {{ name: \"...\" id: N }})");
            switch (token.Value)
            {
                case "item" or "label":
                    continue;
                case "{":
                    if (depth++ != 0) throw Error(path, line, "nested '{' in a label map item");
                    (itemLine, name, id) = (line, null, null);
                    continue;
                case "}":
                    if (depth-- != 1) throw Error(path, line, "'}' without an open item");
                    if (name is null) throw Error(path, itemLine, "item without a name");
                    if (id is not { } classId) throw Error(path, itemLine, $"item \"{name}\" without an id");
                    if (!ids.Add(classId)) throw Error(path, itemLine, $"class id {classId} appears twice");
                    if (!names.Add(name)) throw Error(path, itemLine, $"class name \"{name}\" appears twice");
                    categories.Add(new AvaCategory(classId, name));
                    continue;
            }
            if (depth != 1) throw Error(path, line, $"'{token.Value}' outside an item {{ ... }}");
            var field = token.Groups["field"].Value;
            var value = token.Groups["value"].Value;
            if (field == "label_type") continue;
            if (field == "name")
            {
                if (!value.StartsWith('"') || !value.EndsWith('"') || value.Length < 2)
                    throw Error(path, line, $"name must be a quoted string, got {value}");
                name = value[1..^1];
            }
            else
            {
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int parsed))
                    throw Error(path, line, $"{field} must be an integer, got '{value}'");
                if (id is { } previous && previous != parsed)
                    throw Error(path, line, $"{field} {parsed} disagrees with the item's id {previous}");
                id = parsed;
            }
        }
        if (depth != 0) throw Error(path, LineOf(text, text.Length), "unterminated item { ... }");
        if (categories.Count == 0) throw new InvalidDataException($"{path}: label map has no items");
        return categories;
    }

    /// <summary>
    /// <c>video_id,timestamp,x1,y1,x2,y2,action_id[,person_id]</c> rows whose action is in
    /// <paramref name="classes"/> (others are skipped, as MMAction2's class whitelist does), in file order.
    /// </summary>
    public static IReadOnlyList<AvaAnnotation> ReadAnnotations(string path, IReadOnlySet<int> classes)
    {
        var rows = new List<AvaAnnotation>();
        ForEachRow(path, "annotation file", (fields, line) =>
        {
            if (fields.Length is not (7 or 8))
                throw Error(path, line, $"expected 8 columns video_id,timestamp,x1,y1,x2,y2,action_id,person_id, got {fields.Length}");
            var key = new AvaKey(fields[0], Integer(fields[1], "timestamp", path, line));
            var box = Box(fields, path, line);
            int action = Integer(fields[6], "action_id", path, line);
            int person = fields.Length == 8 ? Integer(fields[7], "person_id", path, line) : -1;
            if (classes.Contains(action)) rows.Add(new AvaAnnotation(key, box, action, person));
        });
        return rows;
    }

    /// <summary><c>video_id,timestamp</c> rows: keyframes the evaluation ignores.</summary>
    public static IReadOnlySet<AvaKey> ReadExclusions(string path)
    {
        var excluded = new HashSet<AvaKey>();
        ForEachRow(path, "exclude file", (fields, line) =>
        {
            if (fields.Length != 2) throw Error(path, line, $"expected 2 columns video_id,timestamp, got {fields.Length}");
            excluded.Add(new AvaKey(fields[0], Integer(fields[1], "timestamp", path, line)));
        });
        return excluded;
    }

    private static void ForEachRow(string path, string what, Action<string[], int> parse)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"{path}: {what} not found", path);
        int line = 0;
        foreach (var raw in File.ReadLines(path))
        {
            line++;
            if (raw.Trim().Length == 0) continue;
            parse(raw.Split(',').Select(f => f.Trim()).ToArray(), line);
        }
    }

    private static NormalizedBox Box(string[] fields, string path, int line)
    {
        // ava_utils parses with float() (double) and evaluates float32 arrays: round through double, not float.Parse.
        var c = new float[4];
        string[] names = ["x1", "y1", "x2", "y2"];
        for (int i = 0; i < 4; i++)
        {
            if (!double.TryParse(fields[2 + i], NumberStyles.Float, CultureInfo.InvariantCulture, out double value) ||
                !double.IsFinite(value))
                throw Error(path, line, $"{names[i]} must be a number, got '{fields[2 + i]}'");
            c[i] = (float)value;
        }
        if (c[0] > c[2] || c[1] > c[3])
            throw Error(path, line, $"box corners reversed (x1 {fields[2]}, y1 {fields[3]}, x2 {fields[4]}, y2 {fields[5]})");
        return new NormalizedBox(c[0], c[1], c[2], c[3]);
    }

    private static int Integer(string field, string name, string path, int line) =>
        int.TryParse(field, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw Error(path, line, $"{name} must be an integer, got '{field}'");

    private static string ReadAll(string path, string what) =>
        File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"{path}: {what} not found", path);

    private static int LineOf(string text, int index) => 1 + text.AsSpan(0, index).Count('\n');

    private static InvalidDataException Error(string path, int line, string problem) => new($"{path}:{line}: {problem}");

    /// <summary>Comments, braces, <c>item</c>/<c>label</c> before a brace, <c>field: value</c> pairs; anything else is
    /// <c>bad</c>.</summary>
    [GeneratedRegex("""(?<comment>\#[^\n]*)|[{}]|\b(?:item|label)\b(?=\s*\{)|(?<field>name|id|label_id|label_type)\s*:\s*(?<value>"[^"\n]*"|[^\s{}]+)|(?<bad>[^\s{}]+)""")]
    private static partial Regex LabelMapToken();
}
