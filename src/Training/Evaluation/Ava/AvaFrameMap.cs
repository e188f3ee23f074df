using Cluster.Training.Data.Ava;

namespace Cluster.Training.Evaluation.Ava;

/// <summary>AP of one class: NaN when it has detections but no ground truth (as MMAction2).</summary>
public sealed record AvaClassAp(AvaLabel Category, double Ap, int Detections, int GroundTruth);

/// <summary>Per-class APs (classes with at least one evaluated detection, by id) and the nan-means over them: all,
/// person movement (id ≤ 14), object manipulation (14 &lt; id &lt; 64), person interaction (id ≥ 64).</summary>
public sealed record AvaFrameMapResult(IReadOnlyList<AvaClassAp> Classes, double Overall, double PersonMovement,
    double ObjectManipulation, double PersonInteraction);

/// <summary>
/// AVA frame mAP @ IoU 0.5 as MMAction2's ava_eval (mmaction/evaluation/functional/ava_utils.py, ignore_empty_frames
/// true) computes it, down to its number formats:
/// <list type="bullet">
/// <item>Detections pass through MMAction2's result CSV: boxes and scores rounded to 4 decimals; detections of classes
/// outside the evaluated ones are dropped; no cap on detections per frame.</item>
/// <item>Only annotated, not excluded keyframes are evaluated (a detection elsewhere counts for nothing); the number
/// of ground-truth boxes of a class counts every annotated keyframe, excluded ones too (ava_utils' gt_count).</item>
/// <item>Per keyframe and detected class, detections by descending score: each is matched to the ground-truth box of
/// that class it overlaps most (first on ties); TP when IoU ≥ 0.5 and that box is not matched yet, else FP (so a
/// duplicate is an FP); with no ground truth of the class there, all are FPs. IoU without +1, with numpy's precisions
/// (float32 boxes and areas, float64 intersection).</item>
/// <item>Per class, detections of all keyframes (annotation-file order) ranked by float32 score, ties as numpy's
/// argsort(...)[::-1] orders them for small arrays (later first); precision = TP/(TP+FP), recall = TP/num_gt; VOC AP
/// (precision made monotone from the right, summed over recall steps); NaN without ground truth.</item>
/// <item>Means are nanmeans over the classes that have evaluated detections (others are left out).</item>
/// </list>
/// </summary>
public sealed class AvaFrameMap(AvaGroundTruth truth)
{
    public const double IouThreshold = 0.5;

    /// <param name="detections">Detections with label-map class ids.</param>
    public AvaFrameMapResult Evaluate(IEnumerable<AvaDetection> detections)
    {
        var byFrame = ByFrameAsTheResultCsvHoldsThem(detections);
        var scores = new Dictionary<int, List<float>>();
        var truePositives = new Dictionary<int, List<bool>>();
        foreach (var (key, groundTruth) in truth.Frames)
        {
            if (truth.Excluded.Contains(key) || !byFrame.TryGetValue(key, out var frame)) continue;
            foreach (var labelled in frame.GroupBy(d => d.Label)) // groups keep the frame's score order
            {
                int label = labelled.Key;
                var gtBoxes = groundTruth.Where(g => g.ActionId == label).Select(g => g.Box).ToList();
                var classScores = scores.TryGetValue(label, out var s) ? s : scores[label] = [];
                var classTp = truePositives.TryGetValue(label, out var t) ? t : truePositives[label] = [];
                classScores.AddRange(labelled.Select(d => d.Score));
                classTp.AddRange(MatchFrame(labelled.Select(d => d.Box).ToList(), gtBoxes));
            }
        }
        var gtCount = truth.Frames.SelectMany(f => f.Value).GroupBy(a => a.ActionId).ToDictionary(g => g.Key, g => g.Count());
        var classes = truth.Categories.Where(c => scores.ContainsKey(c.Id)).OrderBy(c => c.Id).Select(c =>
        {
            int numGt = gtCount.GetValueOrDefault(c.Id);
            return new AvaClassAp(c, AveragePrecision(scores[c.Id], truePositives[c.Id], numGt), scores[c.Id].Count, numGt);
        }).ToList();
        return new AvaFrameMapResult(classes,
            NanMean(classes, _ => true),
            NanMean(classes, id => id <= 14),
            NanMean(classes, id => id is > 14 and < 64),
            NanMean(classes, id => id >= 64));
    }

    private readonly record struct CsvDetection(float[] YxBox, double Score, int Label);

    /// <summary>Groups by keyframe, rounds as results2csv writes (<c>{:.4f}</c>) and read_csv reads back, and orders
    /// each keyframe by descending score (a stable sort, as Python's sorted).</summary>
    private Dictionary<AvaKey, List<(float[] Box, float Score, int Label)>> ByFrameAsTheResultCsvHoldsThem(
        IEnumerable<AvaDetection> detections)
    {
        var byFrame = new Dictionary<AvaKey, List<CsvDetection>>();
        foreach (var d in detections)
        {
            if (!truth.ClassIds.Contains(d.ActionId)) continue;
            if (!byFrame.TryGetValue(d.Key, out var frame)) byFrame[d.Key] = frame = [];
            var b = d.Box;
            frame.Add(new CsvDetection([Csv(b.Y1), Csv(b.X1), Csv(b.Y2), Csv(b.X2)], CsvValue(d.Score), d.ActionId));
        }
        return byFrame.ToDictionary(f => f.Key, f => f.Value
            .OrderByDescending(d => d.Score) // LINQ's OrderBy is stable
            .Select(d => (d.YxBox, (float)d.Score, d.Label)).ToList());
    }

    /// <summary>A float32 value as <c>f'{value:.4f}'</c> then <c>float()</c> gives it back: round half to even on the
    /// exact value (float32 × 10⁴ is exact in a double), then the nearest double.</summary>
    private static double CsvValue(float value) => Math.Round(value * 10000.0, MidpointRounding.ToEven) / 10000.0;

    private static float Csv(float value) => (float)CsvValue(value);

    /// <summary>tpfp_single for one class in one keyframe: detections in descending score order.</summary>
    private static IEnumerable<bool> MatchFrame(List<float[]> detections, List<NormalizedBox> groundTruth)
    {
        var matched = new bool[groundTruth.Count];
        foreach (var box in detections)
        {
            if (groundTruth.Count == 0)
            {
                yield return false;
                continue;
            }
            int best = 0;
            double bestIou = Iou(box, groundTruth[0]);
            for (int g = 1; g < groundTruth.Count; g++)
            {
                double iou = Iou(box, groundTruth[g]);
                if (iou > bestIou) (best, bestIou) = (g, iou);
            }
            bool truePositive = bestIou >= IouThreshold && !matched[best];
            if (truePositive) matched[best] = true;
            yield return truePositive;
        }
    }

    /// <summary>np_box_ops.iou on float32 [y1, x1, y2, x2] arrays: float32 differences and areas, the intersection
    /// widened to float64 by <c>np.maximum(np.zeros(...), ...)</c>, so the union and the ratio are float64.</summary>
    private static double Iou(float[] d, NormalizedBox g)
    {
        double height = Math.Max(0.0, (float)(Math.Min(d[2], g.Y2) - Math.Max(d[0], g.Y1)));
        double width = Math.Max(0.0, (float)(Math.Min(d[3], g.X2) - Math.Max(d[1], g.X1)));
        double intersection = height * width;
        float detectionArea = (float)((float)(d[2] - d[0]) * (float)(d[3] - d[1]));
        float truthArea = (float)((float)(g.Y2 - g.Y1) * (float)(g.X2 - g.X1));
        double union = (float)(detectionArea + truthArea) - intersection;
        return intersection / union;
    }

    /// <summary>metrics.compute_precision_recall + compute_average_precision (VOC).</summary>
    private static double AveragePrecision(List<float> scores, List<bool> truePositive, int numGt)
    {
        if (numGt == 0) return double.NaN;
        // np.argsort(scores)[::-1]: ascending (ties in input order, as its insertion sort for small arrays), reversed.
        var order = Enumerable.Range(0, scores.Count).OrderBy(i => scores[i]).Reverse().ToList();
        int n = order.Count;
        var precision = new double[n + 2];
        var recall = new double[n + 2];
        int tp = 0;
        for (int i = 0; i < n; i++)
        {
            if (truePositive[order[i]]) tp++;
            precision[i + 1] = (double)tp / (i + 1);
            recall[i + 1] = (double)tp / numGt;
        }
        recall[n + 1] = 1.0;
        for (int i = n; i >= 0; i--) precision[i] = Math.Max(precision[i], precision[i + 1]);
        double ap = 0;
        for (int i = 1; i <= n + 1; i++)
        {
            if (recall[i] != recall[i - 1]) ap += (recall[i] - recall[i - 1]) * precision[i];
        }
        return ap;
    }

    private static double NanMean(List<AvaClassAp> classes, Func<int, bool> inCategory)
    {
        var values = classes.Where(c => inCategory(c.Category.Id) && !double.IsNaN(c.Ap)).Select(c => c.Ap).ToList();
        return values.Count == 0 ? double.NaN : values.Average();
    }
}
