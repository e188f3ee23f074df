using System.Globalization;
using Cluster.Training.Data.Ava;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Tests.Evaluation.Ava;

/// <summary>
/// A randomised AVA-like set (6 videos, duplicates, jittered boxes around IoU 0.5, false positives, excluded and
/// unannotated keyframes, a class never detected, one never annotated, tied scores) against the APs that
/// tests/fixtures-scripts/ava_frame_map_reference.py computes with numpy the way MMAction2's ava_eval does.
/// </summary>
public class AvaFrameMapReferenceTests
{
    private const string Dir = "Fixtures/Ava";

    [Fact]
    public void MatchesTheNumpyReferenceClassByClass()
    {
        var truth = AvaGroundTruth.Load($"{Dir}/gt.csv", $"{Dir}/label_map.pbtxt", $"{Dir}/exclude.csv");
        var expected = File.ReadAllLines($"{Dir}/expected.txt").Select(l => l.Split(' '))
            .ToDictionary(f => f[0], f => double.Parse(f[1], CultureInfo.InvariantCulture));

        var result = new AvaFrameMap(truth).Evaluate(File.ReadAllLines($"{Dir}/detections.csv").Select(ParseDetection));

        var expectedClasses = expected.Keys.Where(k => char.IsDigit(k[0])).Select(int.Parse).ToList();
        Assert.Equal(expectedClasses, result.Classes.Select(c => c.Category.Id));
        foreach (var c in result.Classes)
            AssertSame(expected[c.Category.Id.ToString(CultureInfo.InvariantCulture)], c.Ap, c.Category.Name);
        AssertSame(expected["overall"], result.Overall, "overall");
        AssertSame(expected["person_movement"], result.PersonMovement, "person_movement");
        AssertSame(expected["object_manipulation"], result.ObjectManipulation, "object_manipulation");
        AssertSame(expected["person_interaction"], result.PersonInteraction, "person_interaction");
    }

    private static void AssertSame(double expected, double actual, string what)
    {
        if (double.IsNaN(expected)) Assert.True(double.IsNaN(actual), $"{what}: expected NaN, got {actual}");
        else Assert.True(Math.Abs(expected - actual) < 1e-12, $"{what}: expected {expected:R}, got {actual:R}");
    }

    private static AvaDetection ParseDetection(string line)
    {
        var f = line.Split(',');
        float Value(int i) => (float)double.Parse(f[i], CultureInfo.InvariantCulture);
        return new AvaDetection(new AvaKey(f[0], int.Parse(f[1], CultureInfo.InvariantCulture)),
            new NormalizedBox(Value(2), Value(3), Value(4), Value(5)), int.Parse(f[6], CultureInfo.InvariantCulture), Value(7));
    }
}
