using System.Globalization;
using System.Text;

namespace Cluster.Training.Data.Ava;

/// <summary>An annotation row and the 1-based line it came from (for errors found after reading).</summary>
public sealed record AvaAnnotationLine(AvaAnnotation Row, int Line);

/// <summary>
/// AVA's annotation CSV: <c>video_id,timestamp,x1,y1,x2,y2,action_id,person_id</c> per line, boxes normalised, no
/// header. Rows with the same box at the same keyframe describe one person with several actions.
/// </summary>
public static class AvaAnnotationFile
{
    /// <param name="check">Further per-row validation (e.g. the dataset's class range): returns a problem or null.</param>
    public static List<AvaAnnotationLine> Read(string file, Func<AvaAnnotation, string?>? check = null)
    {
        AvaFileErrors.RequireFile(file, "AVA annotation file");
        var rows = new List<AvaAnnotationLine>();
        foreach (var (text, line) in AvaFileErrors.Lines(file))
        {
            var fields = text.Split(',');
            if (fields.Length != 8)
                throw AvaFileErrors.At(file, line,
                    $"expected 8 fields 'video_id,timestamp,x1,y1,x2,y2,action_id,person_id', got {fields.Length}");
            var key = AvaFileErrors.ParseKey(fields[0], fields[1], file, line);
            var box = new NormalizedBox(
                AvaFileErrors.ParseFloat(fields[2], "x1", file, line),
                AvaFileErrors.ParseFloat(fields[3], "y1", file, line),
                AvaFileErrors.ParseFloat(fields[4], "x2", file, line),
                AvaFileErrors.ParseFloat(fields[5], "y2", file, line));
            if (AvaFileErrors.BoxProblem(box) is { } boxProblem)
                throw AvaFileErrors.At(file, line, boxProblem);
            int action = AvaFileErrors.ParseInt(fields[6], "action_id", file, line);
            int person = AvaFileErrors.ParseInt(fields[7], "person_id", file, line);
            var row = new AvaAnnotation(key, box, action, person);
            if (check?.Invoke(row) is { } problem)
                throw AvaFileErrors.At(file, line, problem);
            rows.Add(new AvaAnnotationLine(row, line));
        }
        return rows;
    }

    public static void Write(string file, IEnumerable<AvaAnnotation> rows)
    {
        var text = new StringBuilder();
        foreach (var row in rows)
            text.Append(row.Key.VideoId).Append(',').Append(row.Key.Timestamp.ToString("D4", CultureInfo.InvariantCulture))
                .Append(',').Append(FormatBox(row.Box))
                .Append(',').Append(row.ActionId.ToString(CultureInfo.InvariantCulture))
                .Append(',').Append(row.PersonId.ToString(CultureInfo.InvariantCulture)).Append('\n');
        File.WriteAllText(file, text.ToString());
    }

    /// <summary>AVA's CSVs carry three decimals.</summary>
    internal static string FormatBox(NormalizedBox box) => string.Create(CultureInfo.InvariantCulture,
        $"{box.X1:0.000},{box.Y1:0.000},{box.X2:0.000},{box.Y2:0.000}");
}
