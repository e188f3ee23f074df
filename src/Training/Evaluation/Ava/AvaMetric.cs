using System.Globalization;
using Cluster.Training.Data.Ava;

namespace Cluster.Training.Evaluation.Ava;

/// <summary>
/// MMAction2's AVAMetric: detections (model class indices 1..num_classes-1, mapped through custom_classes when given)
/// with score &gt; action_thr, scored by <see cref="AvaFrameMap"/>. Keys: <see cref="MapKey"/>, <c>AP@0.5IOU/&lt;class
/// name&gt;</c> per class with detections (label-map id order), and the three category means
/// (<see cref="CategoryKeys"/>). Values MMAction2 reports as NaN are left out (a class detected but never annotated, a
/// category without detected classes) so logs and JSON stay numeric; mAP itself is 0 when no detected class has ground
/// truth (MMAction2: NaN).
/// </summary>
public sealed class AvaMetric : IDetectionMetric
{
    public const string MapKey = "mAP@0.5IOU";
    public const string ClassKeyPrefix = "AP@0.5IOU/";
    public const string PersonMovementKey = "mAP@0.5IOU/person_movement";
    public const string ObjectManipulationKey = "mAP@0.5IOU/object_manipulation";
    public const string PersonInteractionKey = "mAP@0.5IOU/person_interaction";
    public static readonly IReadOnlyList<string> CategoryKeys = [PersonMovementKey, ObjectManipulationKey, PersonInteractionKey];

    private readonly AvaFrameMap map;
    private readonly int numClasses;
    private readonly IReadOnlyList<int>? customClasses;
    private readonly double actionThreshold;

    /// <param name="customClasses">Label-map ids of model classes 1..num_classes-1 (MMAction2's custom_classes).</param>
    public AvaMetric(AvaGroundTruth truth, int numClasses, IReadOnlyList<int>? customClasses = null, double actionThreshold = 0.002)
    {
        if (numClasses < 2) throw new ArgumentException($"AVAMetric.num_classes: at least 2 (background + one action), got {numClasses}");
        if (customClasses is not null && customClasses.Count != numClasses - 1)
            throw new ArgumentException(
                $"AVAMetric.custom_classes: {customClasses.Count} classes but num_classes {numClasses} needs {numClasses - 1}");
        map = new AvaFrameMap(truth);
        this.numClasses = numClasses;
        this.customClasses = customClasses;
        this.actionThreshold = actionThreshold;
    }

    public IReadOnlyDictionary<string, double> Compute(IReadOnlyList<AvaDetection> detections) =>
        // bbox2result compares float32 scores with the threshold in float32 (numpy casts the Python float down).
        ToMetrics(map.Evaluate(detections.Where(d => d.Score > (float)actionThreshold).Select(ToLabelMapId)));

    public static IReadOnlyDictionary<string, double> ToMetrics(AvaFrameMapResult result)
    {
        var metrics = new Dictionary<string, double> { [MapKey] = double.IsNaN(result.Overall) ? 0.0 : result.Overall };
        foreach (var c in result.Classes.Where(c => !double.IsNaN(c.Ap)))
            metrics[ClassKeyPrefix + c.Category.Name] = c.Ap;
        double[] means = [result.PersonMovement, result.ObjectManipulation, result.PersonInteraction];
        for (int i = 0; i < means.Length; i++)
            if (!double.IsNaN(means[i])) metrics[CategoryKeys[i]] = means[i];
        return metrics;
    }

    private AvaDetection ToLabelMapId(AvaDetection detection)
    {
        int index = detection.ActionId;
        if (index < 1 || index >= numClasses)
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                $"AVAMetric: detection class {index} at {detection.Key} outside 1..{numClasses - 1} (num_classes {numClasses})"));
        return customClasses is null ? detection : detection with { ActionId = customClasses[index - 1] };
    }
}
