using Cluster.Training.Data.Ava;

namespace Cluster.Training.Evaluation.Ava;

/// <summary>
/// What AVA's frame mAP compares detections with: the evaluated classes (label map, or its custom_classes subset), the
/// ground-truth boxes of those classes in annotation-file order, and the excluded keyframes.
/// </summary>
public sealed class AvaGroundTruth
{
    public AvaGroundTruth(IReadOnlyList<AvaLabel> categories, IReadOnlyList<AvaAnnotation> annotations,
        IReadOnlySet<AvaKey> excluded)
    {
        Categories = categories;
        Excluded = excluded;
        ClassIds = categories.Select(c => c.Id).ToHashSet();
        var frames = new Dictionary<AvaKey, List<AvaAnnotation>>();
        foreach (var row in annotations.Where(a => ClassIds.Contains(a.ActionId)))
        {
            if (!frames.TryGetValue(row.Key, out var boxes)) frames[row.Key] = boxes = [];
            boxes.Add(row);
        }
        Frames = frames.Select(f => new KeyValuePair<AvaKey, IReadOnlyList<AvaAnnotation>>(f.Key, f.Value)).ToList();
    }

    /// <summary>Reads the label map, the annotations and (when given) the exclusions with the AVA data readers (errors
    /// name the file and line); <paramref name="customClasses"/> restricts evaluation to those label-map ids. Rows of
    /// other classes are skipped, as ava_utils' class whitelist does.</summary>
    public static AvaGroundTruth Load(string annFile, string labelFile, string? excludeFile,
        IReadOnlyList<int>? customClasses = null)
    {
        IReadOnlyList<AvaLabel> categories = AvaLabelMap.Read(labelFile).Labels;
        if (customClasses is not null)
        {
            var unknown = customClasses.Where(id => categories.All(c => c.Id != id)).ToList();
            if (unknown.Count > 0)
                throw new ArgumentException($"AVAMetric.custom_classes: {string.Join(", ", unknown)} not in {labelFile}");
            categories = categories.Where(c => customClasses.Contains(c.Id)).ToList();
        }
        var classIds = categories.Select(c => c.Id).ToHashSet();
        var annotations = AvaAnnotationFile.Read(annFile).Select(a => a.Row).Where(a => classIds.Contains(a.ActionId)).ToList();
        if (annotations.Count == 0)
            throw new InvalidDataException($"{annFile}: no annotations of the classes in {labelFile}");
        var excluded = string.IsNullOrEmpty(excludeFile) ? new HashSet<AvaKey>() : AvaExclusionFile.Read(excludeFile);
        return new AvaGroundTruth(categories, annotations, excluded);
    }

    public IReadOnlyList<AvaLabel> Categories { get; }
    public IReadOnlySet<int> ClassIds { get; }
    public IReadOnlySet<AvaKey> Excluded { get; }

    /// <summary>Annotated keyframes in order of first appearance, each with its boxes of evaluated classes (one row per
    /// box and action, as in the CSV).</summary>
    public IReadOnlyList<KeyValuePair<AvaKey, IReadOnlyList<AvaAnnotation>>> Frames { get; }
}
