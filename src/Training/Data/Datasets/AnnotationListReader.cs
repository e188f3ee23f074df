using System.Globalization;

namespace Cluster.Training.Data.Datasets;

/// <summary>
/// Parses MMAction2 annotation lists. Every error names the list file and the 1-based line. Blank lines are skipped.
/// </summary>
public static class AnnotationListReader
{
    /// <summary>VideoDataset: <c>path label</c>, or <c>path l1 l2 ...</c> when multi-class, or just <c>path</c>.</summary>
    public static List<AnnotationRecord> ReadVideoList(
        string annFile, string videoPrefix, LabelRules rules, string delimiter = " ") =>
        ReadLines(annFile, delimiter, (fields, line) =>
        {
            var labels = ParseLabels(fields[1..], rules, annFile, line);
            return new AnnotationRecord(Path.Combine(videoPrefix, fields[0]), labels, line);
        });

    /// <summary>RawframeDataset: <c>frame_dir [offset] total_frames label...</c>.</summary>
    public static List<AnnotationRecord> ReadRawframeList(
        string annFile, string imgPrefix, LabelRules rules, bool withOffset) =>
        ReadLines(annFile, null, (fields, line) =>
        {
            int minimum = withOffset ? 3 : 2;
            if (fields.Length < minimum)
                throw Error(annFile, line, withOffset
                    ? "expected 'frame_dir offset total_frames label'"
                    : "expected 'frame_dir total_frames label'");
            int offset = withOffset ? ParseInt(fields[1], "offset", annFile, line) : 0;
            int totalFrames = ParseInt(fields[minimum - 1], "total_frames", annFile, line);
            if (totalFrames <= 0)
                throw Error(annFile, line, $"total_frames must be positive, got {totalFrames}");
            var labels = ParseLabels(fields[minimum..], rules, annFile, line);
            return new AnnotationRecord(Path.Combine(imgPrefix, fields[0]), labels, line, totalFrames, offset);
        });

    private static List<AnnotationRecord> ReadLines(
        string annFile, string? delimiter, Func<string[], int, AnnotationRecord> parse)
    {
        if (!File.Exists(annFile))
            throw new FileNotFoundException($"{annFile}: annotation file not found", annFile);
        var records = new List<AnnotationRecord>();
        int lineNumber = 0;
        foreach (var rawLine in File.ReadLines(annFile))
        {
            lineNumber++;
            var text = rawLine.Trim();
            if (text.Length == 0)
                continue;
            var fields = delimiter is null
                ? text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
                : text.Split(delimiter, StringSplitOptions.RemoveEmptyEntries);
            records.Add(parse(fields, lineNumber));
        }
        if (records.Count == 0)
            throw new InvalidDataException($"{annFile}: annotation file has no entries");
        return records;
    }

    private static int[] ParseLabels(string[] fields, LabelRules rules, string annFile, int line)
    {
        var labels = fields.Select(field => ParseInt(field, "label", annFile, line)).ToArray();
        if (labels.Length == 0)
            return [-1];
        if (!rules.MultiClass)
        {
            if (labels.Length > 1)
                throw Error(annFile, line, $"{labels.Length} labels on a single-label list (set multi_class: true)");
            if (labels[0] < -1 || (rules.NumClasses is int classes && labels[0] >= classes))
                throw Error(annFile, line, $"label {labels[0]} is out of range");
            return labels;
        }
        int numClasses = rules.NumClasses!.Value;
        foreach (int label in labels)
            if (label < 0 || label >= numClasses)
                throw Error(annFile, line, $"label {label} is outside 0..{numClasses - 1} (num_classes {numClasses})");
        return labels;
    }

    private static int ParseInt(string text, string what, string annFile, int line) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw Error(annFile, line, $"{what} '{text}' is not an integer");

    private static InvalidDataException Error(string annFile, int line, string problem) =>
        new($"{annFile}:{line}: {problem}");
}

/// <summary>How labels are read: one class index per line, or a multi-hot set over <see cref="NumClasses"/>.</summary>
public sealed record LabelRules(bool MultiClass, int? NumClasses)
{
    public static LabelRules From(bool multiClass, int? numClasses, string datasetType) =>
        multiClass && numClasses is not > 0
            ? throw new ArgumentException($"{datasetType}: multi_class needs a positive num_classes")
            : new LabelRules(multiClass, numClasses);
}
