using System.IO.Compression;
using System.Text;

namespace Cluster.Training.Checkpoints;

/// <summary>Writes the zip layout <c>torch.load</c> reads: archive/data.pkl, archive/data/&lt;key&gt;, byteorder, version.</summary>
internal static class TorchArchiveWriter
{
    private const string Archive = "archive/";

    public static void Write(Stream output, object? tree)
    {
        var pickler = new TorchPickler();
        try
        {
            byte[] pickle = pickler.Pickle(tree);
            using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
            WriteEntry(zip, "data.pkl", pickle);
            WriteEntry(zip, "byteorder", Encoding.ASCII.GetBytes("little"));
            for (int key = 0; key < pickler.Storages.Count; key++)
            {
                WriteEntry(zip, $"data/{key}", pickler.Storages[key].bytes);
            }
            WriteEntry(zip, "version", Encoding.ASCII.GetBytes("3\n"));
        }
        finally
        {
            foreach (var storage in pickler.Storages)
            {
                storage.Dispose();
            }
        }
    }

    // Stored, not deflated: torch memory-maps or reads storages in place and never compresses them itself.
    private static void WriteEntry(ZipArchive zip, string name, ReadOnlySpan<byte> content)
    {
        var entry = zip.CreateEntry(Archive + name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(content);
    }
}
