using System.IO.Compression;
using Cluster.Training.Checkpoints.Pickle;
using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>
/// Reads the zip format of <c>torch.save</c> (the default since torch 1.6): <c>&lt;archive&gt;/data.pkl</c> holds the
/// pickled object tree, <c>&lt;archive&gt;/data/&lt;key&gt;</c> the raw little-endian bytes of each storage.
/// </summary>
internal static class TorchArchiveReader
{
    private const string PickleName = "data.pkl";

    public static object? Read(Stream stream, string source, bool allowUnknownClasses)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new CheckpointFormatException(source, "not a zip archive written by torch.save (truncated, corrupt, or the legacy pre-1.6 format)", e);
        }
        using (zip)
        {
            var pickleEntry = zip.Entries.FirstOrDefault(entry => entry.FullName.EndsWith("/" + PickleName, StringComparison.Ordinal)
                                                                  && entry.FullName.IndexOf('/') == entry.FullName.Length - PickleName.Length - 1)
                ?? throw new CheckpointFormatException(source, $"zip archive has no <archive>/{PickleName} entry");
            string prefix = pickleEntry.FullName[..^PickleName.Length];
            RequireLittleEndian(zip, prefix, source);
            using var storages = new StorageLoader(zip, prefix, source);
            try
            {
                return Unpickler.Load(ReadEntry(pickleEntry, source), new TorchPickleResolver(storages.Load, allowUnknownClasses));
            }
            catch (PickleException e)
            {
                throw new CheckpointFormatException(source, $"{pickleEntry.FullName}: {e.Message}", e);
            }
        }
    }

    private static void RequireLittleEndian(ZipArchive zip, string prefix, string source)
    {
        var byteOrder = zip.GetEntry(prefix + "byteorder");
        if (byteOrder is not null && System.Text.Encoding.ASCII.GetString(ReadEntry(byteOrder, source)).Trim() != "little")
        {
            throw new CheckpointFormatException(source, "big-endian checkpoints are not supported");
        }
    }

    private static byte[] ReadEntry(ZipArchiveEntry entry, string source)
    {
        try
        {
            using var input = entry.Open();
            var bytes = new byte[entry.Length];
            input.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new CheckpointFormatException(source, $"zip entry {entry.FullName} is corrupt", e);
        }
    }

    /// <summary>Loads each storage once, straight from its zip entry into a new tensor's memory; views share it.</summary>
    private sealed class StorageLoader(ZipArchive zip, string prefix, string source) : IDisposable
    {
        private readonly Dictionary<string, Tensor> _loaded = new();

        public Tensor Load(TorchStorageType type, string key, long numel)
        {
            if (_loaded.TryGetValue(key, out var storage))
            {
                return storage;
            }
            string name = $"{prefix}data/{key}";
            var entry = zip.GetEntry(name) ?? throw new CheckpointFormatException(source, $"missing storage entry {name}");
            long expectedBytes = numel * type.ElementSize;
            if (entry.Length != expectedBytes)
            {
                throw new CheckpointFormatException(source, $"storage entry {name} holds {entry.Length} bytes, expected {expectedBytes} ({numel} × {type.ClassName})");
            }
            storage = empty([numel], type.ElementType);
            try
            {
                using var input = entry.Open();
                input.ReadExactly(storage.bytes);
            }
            catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
            {
                storage.Dispose();
                throw new CheckpointFormatException(source, $"storage entry {name} is corrupt", e);
            }
            _loaded[key] = storage;
            return storage;
        }

        // The tensors handed out are views that keep the native storage alive; only these handles are released.
        public void Dispose()
        {
            foreach (var storage in _loaded.Values)
            {
                storage.Dispose();
            }
        }
    }
}
