using System.Globalization;

namespace Cluster.Training.Data.Ava;

/// <summary>The one-line <c>file:line: problem</c> errors of the AVA readers, and the field parsing they share.</summary>
internal static class AvaFileErrors
{
    public static InvalidDataException At(string file, int line, string problem) => new($"{file}:{line}: {problem}");

    public static void RequireFile(string file, string what)
    {
        if (!File.Exists(file))
            throw new FileNotFoundException($"{file}: {what} not found", file);
    }

    public static int ParseInt(string text, string what, string file, int line) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw At(file, line, $"{what} '{text}' is not an integer");

    public static float ParseFloat(string text, string what, string file, int line) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value)
            ? value
            : throw At(file, line, $"{what} '{text}' is not a finite number");

    /// <summary>Boxes must be normalised corners (a small tolerance for detector rounding) with x1 ≤ x2, y1 ≤ y2.</summary>
    public static string? BoxProblem(NormalizedBox box)
    {
        const float tolerance = 1e-3f;
        float[] corners = [box.X1, box.Y1, box.X2, box.Y2];
        if (corners.Any(value => value < -tolerance || value > 1 + tolerance))
            return $"box ({Format(box)}) is not normalised to [0, 1]";
        if (box.X1 > box.X2 || box.Y1 > box.Y2)
            return $"box ({Format(box)}) has x1 > x2 or y1 > y2";
        return null;
    }

    public static AvaKey ParseKey(string videoId, string timestamp, string file, int line)
    {
        if (videoId.Trim().Length == 0)
            throw At(file, line, "video_id is empty");
        return new AvaKey(videoId.Trim(), ParseInt(timestamp, "timestamp", file, line));
    }

    private static string Format(NormalizedBox box) =>
        string.Join(", ", new[] { box.X1, box.Y1, box.X2, box.Y2 }.Select(v => v.ToString("0.###", CultureInfo.InvariantCulture)));

    /// <summary>Non-blank lines of a text file with their 1-based numbers.</summary>
    public static IEnumerable<(string Text, int Line)> Lines(string file)
    {
        int number = 0;
        foreach (var raw in File.ReadLines(file))
        {
            number++;
            var text = raw.Trim();
            if (text.Length > 0)
                yield return (text, number);
        }
    }
}
