using Cluster.Tests.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Evaluation.Ava;

namespace Cluster.Tests.Evaluation.Ava;

/// <summary>The label map, annotation and exclusion readers: what they read, and one-line errors naming file and line.</summary>
public sealed class AvaGroundTruthFilesTests : IDisposable
{
    private readonly TempConfigFiles files = new();

    public void Dispose() => files.Dispose();

    [Fact]
    public void ReadsLabelMapsWrittenOnOneLineOrSeveral()
    {
        var path = files.Write("m.pbtxt", "item {\n  name: \"bend/bow (at the waist)\"\n  id: 1\n}\nitem { name: \"crawl\" label_id: 2 }\n");

        Assert.Equal([new AvaCategory(1, "bend/bow (at the waist)"), new AvaCategory(2, "crawl")], AvaGroundTruthFiles.ReadLabelMap(path));
    }

    [Fact]
    public void ReadsAvasFullActionListWithLabelTypes()
    {
        var path = files.Write("m.pbtxt", "label {\n  name: \"carry/hold (an object)\"\n  label_id: 17\n  label_type: OBJECT_MANIPULATION\n}\n");

        Assert.Equal([new AvaCategory(17, "carry/hold (an object)")], AvaGroundTruthFiles.ReadLabelMap(path));
    }

    [Theory]
    [InlineData("item {\n  name: \"a\"\n}\n", "m.pbtxt:1: item \"a\" without an id")]
    [InlineData("item { name: \"a\" id: 1 }\nitem { name: \"b\" id: x }\n", "m.pbtxt:2: id must be an integer, got 'x'")]
    [InlineData("item { name: \"a\" id: 1 }\nitem { name: \"b\" id: 1 }\n", "m.pbtxt:2: class id 1 appears twice")]
    [InlineData("item { name: \"a\" id: 1 }\n\nitem { name: \"b\" idd: 2 }\n", "m.pbtxt:3: unexpected 'idd:'")]
    [InlineData("item { name: \"a\" id: 1 \n", "m.pbtxt:2: unterminated item")]
    [InlineData("# nothing\n", "m.pbtxt: label map has no items")]
    public void BadLabelMapsNameTheFileAndLine(string text, string expected)
    {
        var path = files.Write("m.pbtxt", text);

        var error = Assert.Throws<InvalidDataException>(() => AvaGroundTruthFiles.ReadLabelMap(path));
        Assert.StartsWith(files.Path(expected), error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void ReadsAnnotationsOfTheGivenClassesInFileOrder()
    {
        var path = files.Write("a.csv", "v1,0902,0.1,0.2,0.3,0.4,12,7\n\nv1,902,0.5,0.2,0.7,0.4,3,8\nv2,1000,0.1,0.2,0.3,0.4,5\n");

        var rows = AvaGroundTruthFiles.ReadAnnotations(path, new HashSet<int> { 12, 5 });

        Assert.Equal([new AvaAnnotation(new AvaKey("v1", 902), new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f), 12, 7),
            new AvaAnnotation(new AvaKey("v2", 1000), new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f), 5, -1)], rows);
    }

    [Theory]
    [InlineData("v1,0902,0.1,0.2,0.3,0.4,1,0\nv1,0902,0.1,0.2,0.3\n", "a.csv:2: expected 8 columns video_id,timestamp,x1,y1,x2,y2,action_id,person_id, got 5")]
    [InlineData("v1,09x2,0.1,0.2,0.3,0.4,1,0\n", "a.csv:1: timestamp must be an integer, got '09x2'")]
    [InlineData("v1,0902,0.1,abc,0.3,0.4,1,0\n", "a.csv:1: y1 must be a number, got 'abc'")]
    [InlineData("v1,0902,0.1,0.2,0.3,0.4,one,0\n", "a.csv:1: action_id must be an integer, got 'one'")]
    [InlineData("v1,0902,0.3,0.2,0.1,0.4,1,0\n", "a.csv:1: box corners reversed")]
    public void BadAnnotationRowsNameTheFileAndLine(string text, string expected)
    {
        var path = files.Write("a.csv", text);

        var error = Assert.Throws<InvalidDataException>(() => AvaGroundTruthFiles.ReadAnnotations(path, new HashSet<int> { 1 }));
        Assert.StartsWith(files.Path(expected), error.Message);
    }

    [Fact]
    public void BadExclusionRowsNameTheFileAndLine()
    {
        var path = files.Write("x.csv", "v1,0902\nv1,0903,extra\n");

        var error = Assert.Throws<InvalidDataException>(() => AvaGroundTruthFiles.ReadExclusions(path));
        Assert.Equal(files.Path("x.csv:2: expected 2 columns video_id,timestamp, got 3"), error.Message);
    }

    [Fact]
    public void MissingFilesAndAnnotationsWithoutEvaluatedClassesAreErrors()
    {
        var labels = files.Write("m.pbtxt", "item { name: \"a\" id: 1 }\n");
        var annotations = files.Write("a.csv", "v1,0902,0.1,0.2,0.3,0.4,2,0\n");

        var missing = Assert.Throws<FileNotFoundException>(() => AvaGroundTruth.Load(files.Path("none.csv"), labels, null));
        Assert.Equal($"{files.Path("none.csv")}: annotation file not found", missing.Message);
        var empty = Assert.Throws<InvalidDataException>(() => AvaGroundTruth.Load(annotations, labels, null));
        Assert.Equal($"{annotations}: no annotations of the classes in {labels}", empty.Message);
        var noExclusions = Assert.Throws<FileNotFoundException>(() =>
            AvaGroundTruth.Load(files.Write("b.csv", "v1,0902,0.1,0.2,0.3,0.4,1,0\n"), labels, files.Path("x.csv")));
        Assert.Equal($"{files.Path("x.csv")}: exclude file not found", noExclusions.Message);
    }
}
