using Cluster.Tests.Synthetic;
using Cluster.Training.Data.Ava;

namespace Cluster.Tests.Data.Ava;

public class AvaFileReaderTests : IDisposable
{
    private readonly TempDirectory dir = new();

    private string Write(string name, string text)
    {
        var path = Path.Combine(dir.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Annotation_rows_parse_with_padded_timestamps_and_line_numbers()
    {
        var file = Write("ann.csv", "vidA,0902,0.1,0.2,0.5,0.9,12,0\n\nvidA,902,0.1,0.2,0.5,0.9,80,0\nvidB,0905,0.000,0.000,1.000,1.000,1,3\n");

        var rows = AvaAnnotationFile.Read(file);

        Assert.Equal([1, 3, 4], rows.Select(r => r.Line));
        Assert.Equal(new AvaAnnotation(new AvaKey("vidA", 902), new NormalizedBox(0.1f, 0.2f, 0.5f, 0.9f), 12, 0), rows[0].Row);
        Assert.Equal(rows[0].Row.Key, rows[1].Row.Key);
        Assert.Equal(new AvaKey("vidB", 905), rows[2].Row.Key);
        Assert.Equal(3, rows[2].Row.PersonId);
    }

    [Theory]
    [InlineData("vidA,0902,0.1,0.2,0.5,0.9,12\n", ":1: expected 8 fields")]
    [InlineData("vidA,0902,0.1,0.2,0.5,0.9,12,0\nvidA,09x2,0.1,0.2,0.5,0.9,12,0\n", ":2: timestamp '09x2' is not an integer")]
    [InlineData("vidA,0902,0.1,abc,0.5,0.9,12,0\n", ":1: y1 'abc' is not a finite number")]
    [InlineData("vidA,0902,0.1,0.2,1.5,0.9,12,0\n", ":1: box (0.1, 0.2, 1.5, 0.9) is not normalised")]
    [InlineData("vidA,0902,0.6,0.2,0.5,0.9,12,0\n", ":1: box (0.6, 0.2, 0.5, 0.9) has x1 > x2")]
    [InlineData(",0902,0.1,0.2,0.5,0.9,12,0\n", ":1: video_id is empty")]
    public void Bad_annotation_lines_name_file_and_line(string text, string expected)
    {
        var file = Write("bad.csv", text);
        var error = Assert.Throws<InvalidDataException>(() => AvaAnnotationFile.Read(file));
        Assert.StartsWith(file + expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Annotation_check_rejects_rows_with_their_line()
    {
        var file = Write("ann.csv", "vidA,0902,0.1,0.2,0.5,0.9,12,0\nvidA,0903,0.1,0.2,0.5,0.9,99,0\n");
        var error = Assert.Throws<InvalidDataException>(() =>
            AvaAnnotationFile.Read(file, row => row.ActionId > 80 ? "action too large" : null));
        Assert.Equal($"{file}:2: action too large", error.Message);
    }

    [Fact]
    public void Missing_files_are_named()
    {
        var missing = Path.Combine(dir.Path, "nope.csv");
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => AvaAnnotationFile.Read(missing)).Message);
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => AvaExclusionFile.Read(missing)).Message);
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => AvaLabelMap.Read(missing)).Message);
        Assert.Contains(missing, Assert.Throws<FileNotFoundException>(() => AvaProposalFile.Read(missing)).Message);
    }

    [Fact]
    public void Exclusions_parse_and_reject_bad_lines()
    {
        var keys = AvaExclusionFile.Read(Write("ex.csv", "vidA,0902\nvidB,1000\n"));
        Assert.Equal([new AvaKey("vidA", 902), new AvaKey("vidB", 1000)], keys.OrderBy(k => k.ToString()).ToArray());

        var bad = Write("ex_bad.csv", "vidA,0902\nvidA,0903,extra\n");
        Assert.Equal($"{bad}:2: expected 2 fields 'video_id,timestamp', got 3",
            Assert.Throws<InvalidDataException>(() => AvaExclusionFile.Read(bad)).Message);
    }

    [Fact]
    public void Label_map_reads_multi_line_items_label_ids_and_comments()
    {
        var file = Write("labels.pbtxt", """
            # AVA-style label map
            item {
              name: "bend/bow (at the waist)"
              id: 1
            }
            item { name: "crawl" id: 2 }
            item {
              name: "answer phone \"quoted\""
              label_id: 79
              label_type: PERSON_INTERACTION
            }
            """);

        var map = AvaLabelMap.Read(file);

        Assert.Equal([new AvaLabel(1, "bend/bow (at the waist)"), new AvaLabel(2, "crawl"), new AvaLabel(79, "answer phone \"quoted\"")],
            map.Labels);
        Assert.Equal("crawl", map.NameOf(2));
        Assert.Equal("5", map.NameOf(5));

        var copy = Path.Combine(dir.Path, "copy.pbtxt");
        map.Write(copy);
        Assert.Equal(map.Labels, AvaLabelMap.Read(copy).Labels);
    }

    [Theory]
    [InlineData("item {\n  name: \"a\"\n}\n", ":1: item has no id")]
    [InlineData("item { name: \"a\" id: 1 }\nitem {\n name: \"b\"\n id: 1 }\n", ":2: class id 1 is listed twice (first on line 1)")]
    [InlineData("item { name: \"a\" id: x1 }\n", ":1: id 'x1' is not an integer")]
    [InlineData("item {\n name: \"a\n id: 1 }\n", ":2: string is not closed")]
    [InlineData("item { name: \"a\" id: 1 }\nlabel {\n", ":2: expected 'item {', got 'label'")]
    [InlineData("item { name: \"a\" id: 0 }\n", ":1: class id 0 must be at least 1")]
    [InlineData("item { name: \"a\" id: 1\n", ":1: item is not closed")]
    public void Bad_label_maps_name_file_and_line(string text, string expected)
    {
        var file = Write("bad.pbtxt", text);
        Assert.StartsWith(file + expected, Assert.Throws<InvalidDataException>(() => AvaLabelMap.Read(file)).Message);
    }

    [Fact]
    public void Proposals_round_trip_through_our_json()
    {
        var key = new AvaKey("vidA", 902);
        var proposals = new Dictionary<AvaKey, List<AvaProposal>>
        {
            [key] = [new AvaProposal(key, new NormalizedBox(0.1f, 0.2f, 0.3f, 0.4f), 0.95f), new AvaProposal(key, new NormalizedBox(0, 0, 1, 1), 0.5f)],
            [new AvaKey("vidB", 1000)] = [],
        };
        var file = Path.Combine(dir.Path, "proposals.json");
        AvaProposalFile.Write(file, proposals);

        var read = AvaProposalFile.Read(file);

        Assert.Equal(proposals.Keys.OrderBy(k => k.ToString()), read.Keys.OrderBy(k => k.ToString()));
        Assert.Equal(proposals[key], read[key]);
        Assert.Empty(read[new AvaKey("vidB", 1000)]);
    }

    [Theory]
    [InlineData("{\n  \"vidA,0902\": [[0.1, 0.2, 0.3, 0.4, 0.9],\n    [0.1, 0.2, 0.3, 0.9]]\n}", ":3: 'vidA,0902': expected 5 numbers")]
    [InlineData("{\n  \"vidA\": []\n}", ":2: key 'vidA' is not 'video_id,timestamp'")]
    [InlineData("{\n  \"vidA,0902\": [],\n  \"vidA,902\": []\n}", ":3: key 'vidA,902' appears twice")]
    [InlineData("{\n  \"vidA,0902\": [[0.1, 0.2, 0.3, \"x\", 0.9]]\n}", ":2: 'vidA,0902': box values must be finite numbers")]
    [InlineData("{\n  \"vidA,0902\": [[0.5, 0.2, 0.3, 0.4, 0.9]]\n}", ":2: 'vidA,0902': box (0.5, 0.2, 0.3, 0.4) has x1 > x2")]
    [InlineData("{\n  \"vidA,0902\": [[0.1, 0.2, 0.3, 0.4, 0.9]\n\n}", ":4: invalid JSON")]
    [InlineData("[1, 2]", ":1: expected a JSON object")]
    public void Bad_proposal_files_name_file_and_line(string text, string expected)
    {
        var file = Write("bad.json", text);
        var error = Assert.Throws<InvalidDataException>(() => AvaProposalFile.Read(file));
        Assert.StartsWith(file + expected, error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }

    public void Dispose() => dir.Dispose();
}
