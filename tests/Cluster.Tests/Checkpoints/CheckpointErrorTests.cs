using System.IO.Compression;
using System.Text;
using Cluster.Training.Checkpoints;
using static Cluster.Tests.Checkpoints.CheckpointFixtures;

namespace Cluster.Tests.Checkpoints;

public class CheckpointErrorTests
{
    [Fact]
    public void TruncatedFileIsReportedWithItsPath()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("truncated.pth");
        var bytes = File.ReadAllBytes(PathOf("mmaction_style.pth"));
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("not a zip archive", error.Message);
    }

    [Fact]
    public void TruncatedPickleIsReportedWithFileAndEntry()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("corrupt.pth");
        var entries = EntriesOf(PathOf("mmaction_style.pth"));
        entries["mmaction_style/data.pkl"] = entries["mmaction_style/data.pkl"][..200];
        WriteZip(path, entries);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("mmaction_style/data.pkl", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void MissingStorageEntryIsNamed()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("missing-storage.pth");
        var entries = EntriesOf(PathOf("mmaction_style.pth"));
        entries.Remove("mmaction_style/data/3");
        WriteZip(path, entries);

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("missing storage entry mmaction_style/data/3", error.Message);
    }

    [Fact]
    public void UnknownPythonClassIsRefusedByName()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("evil.pth");
        WriteZip(path, new Dictionary<string, byte[]>
        {
            ["evil/data.pkl"] = [0x80, 0x02, .. Encoding.Latin1.GetBytes("cos\nsystem\nX\x02\x00\x00\x00ls\x85R.")],
            ["evil/version"] = Encoding.ASCII.GetBytes("3\n"),
        });

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Read(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("os.system", error.Message);
    }

    [Fact]
    public void FileWithoutStateDictSaysWhatItHolds()
    {
        using var directory = new TemporaryDirectory();
        string path = directory.File("meta-only.pth");
        CheckpointFile.Save(path, new Dictionary<string, object?> { ["meta"] = new Dictionary<string, object?> { ["epoch"] = 1L } });

        var error = Assert.Throws<CheckpointFormatException>(() => CheckpointFile.Load(path));
        Assert.Contains(path, error.Message);
        Assert.Contains("no state_dict", error.Message);
    }

    private static Dictionary<string, byte[]> EntriesOf(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        return zip.Entries.ToDictionary(entry => entry.FullName, entry =>
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        });
    }

    private static void WriteZip(string path, Dictionary<string, byte[]> entries)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (name, content) in entries)
        {
            using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
            stream.Write(content);
        }
    }
}
