using Cluster.Training.Data.Ava;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Tests.Evaluation.Ava;

/// <summary>
/// AVA frame mAP on hand-checked cases. In the comments, P/R list precision and recall after each ranked detection,
/// and AP = Σ over recall steps of (ΔR × the highest precision at that recall or beyond), VOC style.
/// </summary>
public class AvaFrameMapTests
{
    private static readonly AvaLabel Stand = new(1, "stand"), Sit = new(2, "sit"), Walk = new(14, "walk"),
        Carry = new(15, "carry"), Read = new(63, "read"), Talk = new(64, "talk"), Watch = new(80, "watch");
    private static readonly AvaLabel[] Categories = [Stand, Sit, Walk, Carry, Read, Talk, Watch];

    // Boxes with corners exact at 4 decimals, far apart (IoU 0 between different letters).
    private static readonly NormalizedBox A = new(0.1f, 0.1f, 0.3f, 0.5f), B = new(0.5f, 0.1f, 0.7f, 0.5f),
        C = new(0.1f, 0.6f, 0.3f, 0.9f), Far = new(0.8f, 0.8f, 0.9f, 0.9f);

    private static AvaKey Frame(int second) => new("vid", second);

    private static AvaAnnotation Gt(int second, NormalizedBox box, AvaLabel category) => new(Frame(second), box, category.Id, 0);

    private static AvaDetection Det(int second, NormalizedBox box, AvaLabel category, float score) =>
        new(Frame(second), box, category.Id, score);

    private static AvaFrameMapResult Evaluate(AvaAnnotation[] truth, AvaDetection[] detections, params int[] excludedSeconds) =>
        new AvaFrameMap(new AvaGroundTruth(Categories, truth, excludedSeconds.Select(Frame).ToHashSet())).Evaluate(detections);

    private static double ApOf(AvaFrameMapResult result, AvaLabel category) => result.Classes.Single(c => c.Category == category).Ap;

    [Fact]
    public void PerfectDetectionsScoreOneInEveryClassAndCategory()
    {
        AvaAnnotation[] truth = [Gt(902, A, Stand), Gt(902, B, Stand), Gt(902, B, Carry), Gt(903, A, Talk)];
        var result = Evaluate(truth, [Det(902, A, Stand, 0.9f), Det(902, B, Stand, 0.8f), Det(902, B, Carry, 0.7f), Det(903, A, Talk, 0.6f)]);

        Assert.Equal([Stand, Carry, Talk], result.Classes.Select(c => c.Category));
        Assert.All(result.Classes, c => Assert.Equal(1.0, c.Ap));
        Assert.Equal(2, result.Classes[0].GroundTruth);
        Assert.Equal((1.0, 1.0, 1.0, 1.0), (result.Overall, result.PersonMovement, result.ObjectManipulation, result.PersonInteraction));
    }

    [Fact]
    public void ASecondDetectionOfAMatchedBoxIsAFalsePositive()
    {
        // stand: GT A@902, C@903. Ranked: A 0.9 TP, A 0.8 duplicate FP, C 0.7 TP.
        // P = 1, 1/2, 2/3; R = 1/2, 1/2, 1 → AP = 1/2·1 + 1/2·2/3 = 5/6 (1 if the duplicate were ignored).
        var result = Evaluate([Gt(902, A, Stand), Gt(903, C, Stand)],
            [Det(902, A, Stand, 0.9f), Det(902, A, Stand, 0.8f), Det(903, C, Stand, 0.7f)]);

        Assert.Equal(5.0 / 6, ApOf(result, Stand), 12);
    }

    [Fact]
    public void EachDetectionIsMatchedOnlyToItsBestOverlappingBox()
    {
        // stand: GT A and a box A2 overlapping A (IoU 0.6) at 902. Detections A 0.9 → A (TP), A 0.8 → best is A again,
        // already matched → FP although A2 overlaps it by 0.6 (ActivityNet's greedy matching). P = 1, 1/2; R = 1/2, 1/2.
        var a2 = new NormalizedBox(0.1f, 0.1f, 0.3f, 0.35f); // 0.2 × 0.25 inside A (0.2 × 0.4): IoU 0.625
        var result = Evaluate([Gt(902, A, Stand), Gt(902, a2, Stand)], [Det(902, A, Stand, 0.9f), Det(902, A, Stand, 0.8f)]);

        Assert.Equal(0.5, ApOf(result, Stand), 12);
    }

    [Fact]
    public void ExcludedKeyframesAreIgnored()
    {
        // 903 is annotated (carry) but excluded: its stand detection at 0.99 (an FP there) does not count.
        // stand: A 0.5 TP → AP 1. Without the exclusion: FP 0.99, TP 0.5 → P = 0, 1/2; R = 0, 1 → AP 1/2.
        AvaAnnotation[] truth = [Gt(902, A, Stand), Gt(903, C, Carry)];
        AvaDetection[] detections = [Det(902, A, Stand, 0.5f), Det(903, Far, Stand, 0.99f)];

        Assert.Equal(1.0, ApOf(Evaluate(truth, detections, excludedSeconds: 903), Stand));
        Assert.Equal(0.5, ApOf(Evaluate(truth, detections), Stand), 12);
    }

    [Fact]
    public void GroundTruthOfAnExcludedKeyframeStillCountsTowardsRecall()
    {
        // ava_utils counts gt boxes over every annotated keyframe (gt_count), excluded ones too: stand has 2 GT boxes,
        // only A@902 is evaluated and found → R = 1/2, P = 1 → AP 1/2. (AVA's files never annotate excluded frames.)
        var result = Evaluate([Gt(902, A, Stand), Gt(903, C, Stand)], [Det(902, A, Stand, 0.9f), Det(903, C, Stand, 0.9f)],
            excludedSeconds: 903);

        Assert.Equal(0.5, ApOf(result, Stand), 12);
        Assert.Equal(2, result.Classes.Single().GroundTruth);
    }

    [Fact]
    public void DetectionsOnKeyframesWithoutAnnotationsAreNotEvaluated()
    {
        // 905 has no ground truth at all: its 0.9 stand detection is neither TP nor FP. stand: A 0.5 TP → AP 1.
        var result = Evaluate([Gt(902, A, Stand)], [Det(902, A, Stand, 0.5f), Det(905, A, Stand, 0.9f)]);

        Assert.Equal(1.0, ApOf(result, Stand));
        Assert.Equal(1, result.Classes.Single().Detections);
    }

    [Fact]
    public void ClassesWithoutDetectionsAreLeftOutOfTheMeans()
    {
        // sit and talk are annotated but never detected: no AP for them, mAP = mean(stand 1) = 1, not (1 + 0 + 0) / 3.
        var result = Evaluate([Gt(902, A, Stand), Gt(902, A, Sit), Gt(903, B, Talk)], [Det(902, A, Stand, 0.9f)]);

        Assert.Equal([Stand], result.Classes.Select(c => c.Category));
        Assert.Equal(1.0, result.Overall);
        Assert.Equal(1.0, result.PersonMovement);
        Assert.True(double.IsNaN(result.PersonInteraction));
        Assert.True(double.IsNaN(result.ObjectManipulation));
    }

    [Fact]
    public void ADetectedClassWithoutGroundTruthHasNanApAndIsLeftOutOfTheMeans()
    {
        // watch (80) is in the label map but never annotated: its detection makes AP NaN (no recall), nanmean skips it.
        var result = Evaluate([Gt(902, A, Stand)], [Det(902, A, Stand, 0.9f), Det(902, A, Watch, 0.8f)]);

        Assert.True(double.IsNaN(ApOf(result, Watch)));
        Assert.Equal(1.0, result.Overall);
        Assert.True(double.IsNaN(result.PersonInteraction));
    }

    [Fact]
    public void IouOfExactlyHalfMatchesAndJustBelowDoesNot()
    {
        var unit = new NormalizedBox(0f, 0f, 1f, 1f);
        // [0,0,0.5,1] vs the unit box: intersection 0.5, union 1 → IoU 0.5 exactly → TP (≥ 0.5).
        var half = Evaluate([Gt(902, unit, Stand)], [Det(902, new NormalizedBox(0f, 0f, 0.5f, 1f), Stand, 0.9f)]);
        // x2 0.4999 → IoU 0.4999 → FP → AP 0.
        var below = Evaluate([Gt(902, unit, Stand)], [Det(902, new NormalizedBox(0f, 0f, 0.4999f, 1f), Stand, 0.9f)]);
        // x2 0.49996 is written as 0.5000 in MMAction2's result CSV (4 decimals) → IoU 0.5 → TP.
        var rounded = Evaluate([Gt(902, unit, Stand)], [Det(902, new NormalizedBox(0f, 0f, 0.49996f, 1f), Stand, 0.9f)]);

        Assert.Equal(1.0, ApOf(half, Stand));
        Assert.Equal(0.0, ApOf(below, Stand));
        Assert.Equal(1.0, ApOf(rounded, Stand));
    }

    [Fact]
    public void DetectionsAreRankedByScoreAcrossKeyframes()
    {
        // stand GT: A@902, B@903, C@904 (3 boxes). Ranked over all frames: Far@903 0.9 FP, B@903 0.6 TP, Far@904 0.5 FP,
        // A@902 0.3 TP. P = 0, 1/2, 1/3, 1/2; R = 0, 1/3, 1/3, 2/3 → monotone P = 1/2 up to R 2/3 → AP = 2/3 · 1/2 = 1/3.
        var result = Evaluate([Gt(902, A, Stand), Gt(903, B, Stand), Gt(904, C, Stand)],
            [Det(902, A, Stand, 0.3f), Det(903, Far, Stand, 0.9f), Det(903, B, Stand, 0.6f), Det(904, Far, Stand, 0.5f)]);

        Assert.Equal(1.0 / 3, ApOf(result, Stand), 12);
    }

    [Fact]
    public void TiedScoresRankTheLaterKeyframeFirstAsNumpysReversedArgsort()
    {
        // stand GT: A@902, B@903. A@902 0.5 TP and Far@903 0.5 FP tie; concatenated 902 then 903, argsort(...)[::-1]
        // puts Far first: FP, TP, then B 0.4 TP. P = 0, 1/2, 2/3; R = 0, 1/2, 1 → AP = 1/2·2/3 + 1/2·2/3 = 2/3
        // (TP first would give 5/6).
        var result = Evaluate([Gt(902, A, Stand), Gt(903, B, Stand)],
            [Det(902, A, Stand, 0.5f), Det(903, Far, Stand, 0.5f), Det(903, B, Stand, 0.4f)]);

        Assert.Equal(2.0 / 3, ApOf(result, Stand), 12);
    }

    [Fact]
    public void CategoryMeansSplitClassIdsAt14And64()
    {
        // stand (1) 1, walk (14) 1/2 (one of two boxes found), carry (15) 1, read (63) 0 (only an FP), talk (64) 1.
        // person movement = (1 + 1/2) / 2, object manipulation = (1 + 0) / 2, interaction = 1, overall = 3.5 / 5.
        AvaAnnotation[] truth = [Gt(902, A, Stand), Gt(902, A, Walk), Gt(903, A, Walk), Gt(902, B, Carry), Gt(902, C, Read), Gt(903, B, Talk)];
        AvaDetection[] detections = [Det(902, A, Stand, 0.9f), Det(902, A, Walk, 0.9f), Det(902, B, Carry, 0.9f),
            Det(902, Far, Read, 0.9f), Det(903, B, Talk, 0.9f)];

        var result = Evaluate(truth, detections);

        Assert.Equal(0.75, result.PersonMovement, 12);
        Assert.Equal(0.5, result.ObjectManipulation, 12);
        Assert.Equal(1.0, result.PersonInteraction, 12);
        Assert.Equal(0.7, result.Overall, 12);
    }

    [Fact]
    public void NoDetectionsGiveNoClassesAndNanMeans()
    {
        var result = Evaluate([Gt(902, A, Stand)], []);

        Assert.Empty(result.Classes);
        Assert.True(double.IsNaN(result.Overall));
    }

    [Fact]
    public void DetectionsOfClassesOutsideTheLabelMapAreDropped()
    {
        // Class 5 is not in the label map (ava_utils' class whitelist): its 0.9 detection on A is not an FP of anything.
        var result = Evaluate([Gt(902, A, Stand)], [new AvaDetection(Frame(902), A, 5, 0.9f), Det(902, A, Stand, 0.5f)]);

        Assert.Equal([Stand], result.Classes.Select(c => c.Category));
        Assert.Equal(1.0, result.Overall);
    }
}
