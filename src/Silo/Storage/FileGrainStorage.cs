using System.Security.Cryptography;
using System.Text;
using Orleans.Runtime;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Cluster.Silo.Storage;

/// <summary>
/// Grain state as one file per grain and state name under a local folder (the embedded silo's storage). A write goes to
/// a temporary file that then replaces the old one, so a reader sees the old state or the whole new one. Each record
/// carries an ETag; a write or clear with a stale ETag throws <see cref="InconsistentStateException"/>. A lock file per
/// grain serialises writers, including other processes sharing the folder.
/// </summary>
public sealed class FileGrainStorage(string root, IGrainStorageSerializer serializer, IActivatorProvider activators) : IGrainStorage
{
    private const int MaxFileNameLength = 200;

    public string Root { get; } = Path.GetFullPath(root);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var record = await ReadRecordAsync(PathOf(stateName, grainId));
        if (record is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }
        grainState.State = serializer.Deserialize<T>(new BinaryData(record.Value.Payload));
        grainState.ETag = record.Value.ETag;
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        var payload = serializer.Serialize(grainState.State).ToArray();
        var etag = NewETag();
        using (await FileLock.AcquireAsync(path + ".lock"))
        {
            await CheckETagAsync(path, grainState.ETag, "write", grainId);
            await WriteRecordAsync(path, etag, payload);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        using (await FileLock.AcquireAsync(path + ".lock"))
        {
            await CheckETagAsync(path, grainState.ETag, "clear", grainId);
            File.Delete(path);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = activators.GetActivator<T>().Create();
    }

    private static async Task CheckETagAsync(string path, string? expected, string operation, GrainId grainId)
    {
        var stored = (await ReadRecordAsync(path))?.ETag;
        if (stored != expected)
            throw new InconsistentStateException(
                $"{operation} of grain {grainId} state in '{path}' refused: stored ETag '{stored ?? "(none)"}' differs from the grain's '{expected ?? "(none)"}'",
                stored ?? "", expected ?? "");
    }

    internal string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(Root, FileNameOf(stateName), FileNameOf(grainId.ToString()) + ".state");

    /// <summary>A reversible escape keeps names readable; over-long ones fall back to a hash.</summary>
    private static string FileNameOf(string name)
    {
        var escaped = Uri.EscapeDataString(name);
        return escaped.Length <= MaxFileNameLength
            ? escaped
            : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));
    }

    private static string NewETag() => Guid.NewGuid().ToString("N");

    // File layout: the ETag as a length-prefixed UTF-8 string, then the payload's length and bytes.
    private static async Task<(string ETag, byte[] Payload)?> ReadRecordAsync(string path)
    {
        byte[] bytes;
        try
        {
            bytes = await File.ReadAllBytesAsync(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        try
        {
            using var reader = new BinaryReader(new MemoryStream(bytes), Encoding.UTF8);
            var etag = reader.ReadString();
            var length = reader.ReadInt32();
            var payload = reader.ReadBytes(length);
            if (payload.Length != length)
                throw new EndOfStreamException();
            return (etag, payload);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"grain state file '{path}' is truncated", e);
        }
    }

    private static async Task WriteRecordAsync(string path, string etag, byte[] payload)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, FileOptions.Asynchronous))
            {
                using (var writer = new BinaryWriter(file, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(etag);
                    writer.Write(payload.Length);
                    writer.Write(payload);
                }
                await file.FlushAsync();
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }
}
