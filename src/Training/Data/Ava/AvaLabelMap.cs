using System.Globalization;
using System.Text;

namespace Cluster.Training.Data.Ava;

/// <summary>One class of a label map: AVA's action id (1-based; 0 is the unused background) and its name.</summary>
public sealed record AvaLabel(int Id, string Name);

/// <summary>
/// AVA's label map (protobuf text): <c>item { name: "stand" id: 11 }</c> per class, also with <c>label_id</c> (used
/// instead of <c>id</c> when present, as in AVA-Kinetics' maps) and ignored keys such as <c>label_type</c>.
/// </summary>
public sealed class AvaLabelMap
{
    private readonly Dictionary<int, string> names;

    public AvaLabelMap(IReadOnlyList<AvaLabel> labels)
    {
        Labels = labels;
        names = labels.ToDictionary(label => label.Id, label => label.Name);
    }

    public IReadOnlyList<AvaLabel> Labels { get; }

    public IReadOnlyCollection<int> Ids => names.Keys;

    public bool Contains(int id) => names.ContainsKey(id);

    /// <summary>The class name, or the id as text for a class the map does not list.</summary>
    public string NameOf(int id) => names.TryGetValue(id, out var name) ? name : id.ToString(CultureInfo.InvariantCulture);

    public static AvaLabelMap Read(string file)
    {
        AvaFileErrors.RequireFile(file, "AVA label map");
        var tokens = new PbtxtTokens(file, File.ReadAllText(file));
        var labels = new List<AvaLabel>();
        var seen = new Dictionary<int, int>();
        while (tokens.Next() is { } token)
        {
            if (token.Text != "item")
                throw AvaFileErrors.At(file, token.Line, $"expected 'item {{', got '{token.Text}'");
            tokens.Expect("{");
            var label = ReadItem(file, tokens, token.Line);
            if (seen.TryGetValue(label.Id, out int firstLine))
                throw AvaFileErrors.At(file, token.Line, $"class id {label.Id} is listed twice (first on line {firstLine})");
            seen[label.Id] = token.Line;
            labels.Add(label);
        }
        if (labels.Count == 0)
            throw new InvalidDataException($"{file}: label map has no items");
        return new AvaLabelMap(labels);
    }

    private static AvaLabel ReadItem(string file, PbtxtTokens tokens, int itemLine)
    {
        string? name = null;
        int? id = null, labelId = null;
        while (true)
        {
            var key = tokens.Next() ?? throw AvaFileErrors.At(file, itemLine, "item is not closed with '}'");
            if (key.Text == "}")
                break;
            tokens.Expect(":");
            var value = tokens.Next() ?? throw AvaFileErrors.At(file, key.Line, $"'{key.Text}' has no value");
            switch (key.Text)
            {
                case "name":
                    name = value.IsString ? value.Text : throw AvaFileErrors.At(file, value.Line, "name must be a quoted string");
                    break;
                case "id":
                    id = AvaFileErrors.ParseInt(value.Text, "id", file, value.Line);
                    break;
                case "label_id":
                    labelId = AvaFileErrors.ParseInt(value.Text, "label_id", file, value.Line);
                    break;
            }
        }
        var classId = labelId ?? id ?? throw AvaFileErrors.At(file, itemLine, "item has no id");
        if (classId < 1)
            throw AvaFileErrors.At(file, itemLine, $"class id {classId} must be at least 1 (0 is the background)");
        return new AvaLabel(classId, name ?? throw AvaFileErrors.At(file, itemLine, "item has no name"));
    }

    public void Write(string file)
    {
        var text = new StringBuilder();
        foreach (var label in Labels)
            text.Append("item {\n  name: \"").Append(label.Name.Replace("\\", "\\\\").Replace("\"", "\\\""))
                .Append("\"\n  id: ").Append(label.Id.ToString(CultureInfo.InvariantCulture)).Append("\n}\n");
        File.WriteAllText(file, text.ToString());
    }

    /// <summary>Tokens of protobuf text format: words, numbers, quoted strings, braces and colons; # comments.</summary>
    private sealed class PbtxtTokens(string file, string text)
    {
        private int position;
        private int line = 1;

        public readonly record struct Token(string Text, int Line, bool IsString);

        public void Expect(string symbol)
        {
            var token = Next();
            if (token is not { IsString: false } found || found.Text != symbol)
                throw AvaFileErrors.At(file, token?.Line ?? line, $"expected '{symbol}', got '{token?.Text ?? "end of file"}'");
        }

        public Token? Next()
        {
            SkipSpaceAndComments();
            if (position >= text.Length)
                return null;
            char c = text[position];
            if (c is '{' or '}' or ':')
            {
                position++;
                return new Token(c.ToString(), line, false);
            }
            if (c is '"' or '\'')
                return ReadString(c);
            int start = position;
            while (position < text.Length && !char.IsWhiteSpace(text[position]) && text[position] is not ('{' or '}' or ':' or '"' or '#'))
                position++;
            return new Token(text[start..position], line, false);
        }

        private Token ReadString(char quote)
        {
            int startLine = line;
            var value = new StringBuilder();
            position++;
            while (true)
            {
                if (position >= text.Length || text[position] == '\n')
                    throw AvaFileErrors.At(file, startLine, "string is not closed");
                char c = text[position++];
                if (c == quote)
                    return new Token(value.ToString(), startLine, true);
                if (c == '\\' && position < text.Length)
                    c = text[position++];
                value.Append(c);
            }
        }

        private void SkipSpaceAndComments()
        {
            while (position < text.Length)
            {
                char c = text[position];
                if (c == '#')
                {
                    while (position < text.Length && text[position] != '\n')
                        position++;
                }
                else if (char.IsWhiteSpace(c))
                {
                    if (c == '\n')
                        line++;
                    position++;
                }
                else
                {
                    return;
                }
            }
        }
    }
}
