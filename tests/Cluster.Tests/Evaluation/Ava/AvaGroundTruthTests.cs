using Cluster.Tests.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Tests.Evaluation.Ava;

/// <summary>Loading the evaluation's ground truth from files (the readers' own errors are AvaFileReaderTests').</summary>
public sealed class AvaGroundTruthTests : IDisposable
{
    private readonly TempConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void KeepsRowsOfEvaluatedClassesGroupedByKeyframeInFileOrder()
    {
        var labels = files.Write("m.pbtxt", "item { name: \"a\" id: 1 }\nitem { name: \"b\" id: 2 }\nitem { name: \"c\" id: 3 }\n");
        var annotations = files.Write("a.csv",
            "v2,0903,0.1,0.2,0.3,0.4,1,0\nv1,0902,0.1,0.2,0.3,0.4,2,0\nv2,0903,0.5,0.2,0.7,0.4,3,1\nv1,0902,0.1,0.2,0.3,0.4,9,0\n");
        var excluded = files.Write("x.csv", "v1,0904\n");

        var truth = AvaGroundTruth.Load(annotations, labels, excluded, customClasses: [1, 3]);

        Assert.Equal([1, 3], truth.Categories.Select(c => c.Id));
        Assert.Equal([new AvaKey("v2", 903)], truth.Frames.Select(f => f.Key)); // v1,0902 has only classes 2 and 9
        Assert.Equal([1, 3], truth.Frames[0].Value.Select(a => a.ActionId));
        Assert.Equal([new AvaKey("v1", 904)], truth.Excluded);
    }

    [Fact]
    public void MissingFilesAndAnnotationsWithoutEvaluatedClassesAreErrors()
    {
        var labels = files.Write("m.pbtxt", "item { name: \"a\" id: 1 }\n");
        var annotations = files.Write("a.csv", "v1,0902,0.1,0.2,0.3,0.4,2,0\n");

        var missing = Assert.Throws<FileNotFoundException>(() => AvaGroundTruth.Load(files.Path("none.csv"), labels, null));
        Assert.StartsWith($"{files.Path("none.csv")}: ", missing.Message);
        var empty = Assert.Throws<InvalidDataException>(() => AvaGroundTruth.Load(annotations, labels, null));
        Assert.Equal($"{annotations}: no annotations of the classes in {labels}", empty.Message);
        var noExclusions = Assert.Throws<FileNotFoundException>(() =>
            AvaGroundTruth.Load(files.Write("b.csv", "v1,0902,0.1,0.2,0.3,0.4,1,0\n"), labels, files.Path("x.csv")));
        Assert.StartsWith($"{files.Path("x.csv")}: ", noExclusions.Message);
    }

    [Fact]
    public void BadAnnotationLinesNameTheFileAndLine()
    {
        var labels = files.Write("m.pbtxt", "item { name: \"a\" id: 1 }\n");
        var annotations = files.Write("a.csv", "v1,0902,0.1,0.2,0.3,0.4,1,0\nv1,0902,0.1,0.2,0.3\n");

        var error = Assert.Throws<InvalidDataException>(() => AvaGroundTruth.Load(annotations, labels, null));
        Assert.StartsWith($"{annotations}:2: ", error.Message);
    }
}
