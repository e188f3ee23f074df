using Cluster.Training.Data.Datasets;
using Cluster.Tests.Synthetic;

namespace Cluster.Tests.Data;

public class AnnotationListTests : IDisposable
{
    private readonly TempDirectory dir = new();

    private string List(params string[] lines)
    {
        var path = Path.Combine(dir.Path, $"list{Guid.NewGuid():N}.txt");
        File.WriteAllLines(path, lines);
        return path;
    }

    private static readonly LabelRules SingleLabel = new(false, null);

    [Fact]
    public void Video_list_joins_prefix_and_reads_labels()
    {
        var records = AnnotationListReader.ReadVideoList(List("a/x.mp4 3", "", "b/y.mp4 0", "c/unlabelled.mp4"), "root", SingleLabel);
        Assert.Equal(3, records.Count);
        Assert.Equal(Path.Combine("root", "a/x.mp4"), records[0].Path);
        Assert.Equal([3], records[0].Labels);
        Assert.Equal(3, records[1].LineNumber);
        Assert.Equal([-1], records[2].Labels);
    }

    [Fact]
    public void Multi_label_list_keeps_all_labels_within_num_classes()
    {
        var records = AnnotationListReader.ReadVideoList(List("x.mp4 0 2 4"), "", new LabelRules(true, 5));
        Assert.Equal([0, 2, 4], records[0].Labels);
        var error = Assert.Throws<InvalidDataException>(() =>
            AnnotationListReader.ReadVideoList(List("x.mp4 0", "y.mp4 1 5"), "", new LabelRules(true, 5)));
        Assert.Contains(":2:", error.Message);
        Assert.Contains("label 5", error.Message);
    }

    [Fact]
    public void Rawframe_list_reads_frames_and_optional_offset()
    {
        var plain = AnnotationListReader.ReadRawframeList(List("Class/v_1 120 4"), "frames", SingleLabel, withOffset: false);
        Assert.Equal((Path.Combine("frames", "Class/v_1"), 120, 0), (plain[0].Path, plain[0].TotalFrames, plain[0].Offset));
        Assert.Equal([4], plain[0].Labels);
        var offset = AnnotationListReader.ReadRawframeList(List("v_1 10 50 2"), "", SingleLabel, withOffset: true);
        Assert.Equal((50, 10), (offset[0].TotalFrames, offset[0].Offset));
    }

    [Theory]
    [InlineData("x.mp4 cat", "label 'cat' is not an integer")]
    [InlineData("x.mp4 1 2", "2 labels on a single-label list")]
    public void Video_list_errors_name_file_and_line(string badLine, string problem)
    {
        var path = List("ok.mp4 0", badLine);
        var error = Assert.Throws<InvalidDataException>(() => AnnotationListReader.ReadVideoList(path, "", SingleLabel));
        Assert.StartsWith($"{path}:2: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Theory]
    [InlineData("v_1", "expected 'frame_dir total_frames label'")]
    [InlineData("v_1 many 0", "total_frames 'many' is not an integer")]
    [InlineData("v_1 0 0", "total_frames must be positive")]
    public void Rawframe_list_errors_name_file_and_line(string badLine, string problem)
    {
        var path = List("", "v_0 10 1", badLine);
        var error = Assert.Throws<InvalidDataException>(() => AnnotationListReader.ReadRawframeList(path, "", SingleLabel, false));
        Assert.StartsWith($"{path}:3: ", error.Message);
        Assert.Contains(problem, error.Message);
    }

    [Fact]
    public void Missing_list_and_multi_class_without_num_classes_are_named()
    {
        var missing = Path.Combine(dir.Path, "nope.txt");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() =>
            AnnotationListReader.ReadVideoList(missing, "", SingleLabel)).Message);
        Assert.Contains("num_classes", Assert.Throws<ArgumentException>(() =>
            LabelRules.From(true, null, "VideoDataset")).Message);
    }

    public void Dispose() => dir.Dispose();
}
