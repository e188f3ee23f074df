using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cluster.Training.Data.Ava;

/// <summary>
/// Our person-proposal file: JSON <c>{"video_id,timestamp": [[x1, y1, x2, y2, score], ...], ...}</c> with normalised
/// boxes. (MMAction2 stores the same mapping as a Python pickle of numpy arrays, e.g.
/// <c>ava_dense_proposals_train.FAIR.recall_93.9.pkl</c>; convert such a file with a few lines of Python.)
/// Errors name the file and the line of the offending value.
/// </summary>
public static class AvaProposalFile
{
    public static Dictionary<AvaKey, List<AvaProposal>> Read(string file)
    {
        AvaFileErrors.RequireFile(file, "AVA proposal file");
        var bytes = File.ReadAllBytes(file);
        var lineStarts = LineStarts(bytes);
        int LineOf(long offset)
        {
            int index = lineStarts.BinarySearch((int)offset);
            return index >= 0 ? index + 1 : ~index;
        }
        JsonTokenType Read(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw AvaFileErrors.At(file, lineStarts.Count, "unexpected end of file");
        void Expect(ref Utf8JsonReader reader, JsonTokenType type, string what)
        {
            if (Read(ref reader) != type)
                throw AvaFileErrors.At(file, LineOf(reader.TokenStartIndex), $"expected {what}");
        }

        var proposals = new Dictionary<AvaKey, List<AvaProposal>>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            Expect(ref reader, JsonTokenType.StartObject, "a JSON object of \"video_id,timestamp\" keys");
            while (Read(ref reader) != JsonTokenType.EndObject)
            {
                int keyLine = LineOf(reader.TokenStartIndex);
                var keyText = reader.GetString()!;
                var parts = keyText.Split(',');
                if (parts.Length != 2)
                    throw AvaFileErrors.At(file, keyLine, $"key '{keyText}' is not 'video_id,timestamp'");
                var key = AvaFileErrors.ParseKey(parts[0], parts[1], file, keyLine);
                if (proposals.ContainsKey(key))
                    throw AvaFileErrors.At(file, keyLine, $"key '{keyText}' appears twice");
                var boxes = new List<AvaProposal>();
                Expect(ref reader, JsonTokenType.StartArray, $"a list of [x1, y1, x2, y2, score] for '{keyText}'");
                while (Read(ref reader) != JsonTokenType.EndArray)
                {
                    int rowLine = LineOf(reader.TokenStartIndex);
                    if (reader.TokenType != JsonTokenType.StartArray)
                        throw AvaFileErrors.At(file, rowLine, $"'{keyText}': expected [x1, y1, x2, y2, score]");
                    var values = new List<float>(5);
                    while (Read(ref reader) != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetSingle(out float value) || !float.IsFinite(value))
                            throw AvaFileErrors.At(file, LineOf(reader.TokenStartIndex), $"'{keyText}': box values must be finite numbers");
                        values.Add(value);
                    }
                    if (values.Count != 5)
                        throw AvaFileErrors.At(file, rowLine, $"'{keyText}': expected 5 numbers [x1, y1, x2, y2, score], got {values.Count}");
                    var box = new NormalizedBox(values[0], values[1], values[2], values[3]);
                    if (AvaFileErrors.BoxProblem(box) is { } problem)
                        throw AvaFileErrors.At(file, rowLine, $"'{keyText}': {problem}");
                    boxes.Add(new AvaProposal(key, box, values[4]));
                }
                proposals[key] = boxes;
            }
            if (reader.Read())
                throw AvaFileErrors.At(file, LineOf(reader.TokenStartIndex), "unexpected content after the top-level object");
        }
        catch (JsonException e)
        {
            throw AvaFileErrors.At(file, (int)(e.LineNumber ?? 0) + 1, $"invalid JSON ({FirstSentence(e.Message)})");
        }
        return proposals;
    }

    public static void Write(string file, IEnumerable<KeyValuePair<AvaKey, List<AvaProposal>>> proposals)
    {
        var text = new StringBuilder("{\n");
        bool first = true;
        foreach (var (key, boxes) in proposals)
        {
            if (!first)
                text.Append(",\n");
            first = false;
            text.Append("  \"").Append(key.ToString()).Append("\": [");
            text.AppendJoin(", ", boxes.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"[{p.Box.X1:0.####}, {p.Box.Y1:0.####}, {p.Box.X2:0.####}, {p.Box.Y2:0.####}, {p.Score:0.####}]")));
            text.Append(']');
        }
        text.Append("\n}\n");
        File.WriteAllText(file, text.ToString());
    }

    private static List<int> LineStarts(byte[] bytes)
    {
        var starts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++)
            if (bytes[i] == (byte)'\n')
                starts.Add(i + 1);
        return starts;
    }

    private static string FirstSentence(string message)
    {
        var line = message.ReplaceLineEndings(" ");
        int end = line.IndexOf(". ", StringComparison.Ordinal);
        return (end > 0 ? line[..end] : line).TrimEnd('.');
    }
}
