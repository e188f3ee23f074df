namespace Cluster.Training.Storage;

/// <summary>
/// Where checkpoints, merged configs, metrics and reports persist: a local folder (the embedded default) or an Azure
/// Blob Storage container. Keys are relative, '/'-separated (<c>experiments/exp-1/epoch_3.pth</c>).
/// Writes are atomic (a reader sees the old object or the whole new one, never a part); every object carries the
/// SHA-256 of its bytes, checked on every read.
/// </summary>
public interface IArtifactStore
{
    /// <summary>Where the store lives, for messages: a folder path or the container URI.</summary>
    string Location { get; }

    /// <summary>The URI that names <paramref name="key"/> (a file path for the folder store, the blob URI for Azure).</summary>
    string UriOf(string key);

    /// <summary>Uploads a file atomically (large files in parallel blocks); returns its hash and size.</summary>
    Task<ArtifactInfo> PutFileAsync(string key, string sourcePath, CancellationToken cancellation = default);

    /// <summary>Downloads to <paramref name="destinationPath"/> (written to a temporary name, then moved) and verifies the hash.</summary>
    /// <exception cref="ArtifactNotFoundException">No such key.</exception>
    /// <exception cref="ArtifactCorruptException">The bytes do not match the stored hash.</exception>
    Task<ArtifactInfo> GetFileAsync(string key, string destinationPath, CancellationToken cancellation = default);

    Task<ArtifactInfo> PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation = default);

    Task<byte[]> GetBytesAsync(string key, CancellationToken cancellation = default);

    /// <summary>Null when the key does not exist.</summary>
    Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellation = default);

    Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellation = default);

    /// <summary>Missing is not an error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellation = default);

    /// <summary>Fails fast, with one line naming <see cref="Location"/>, when the store cannot be used at all.</summary>
    /// <exception cref="ArtifactStoreUnavailableException">Unreachable endpoint, refused credentials, unusable folder.</exception>
    Task EnsureReachableAsync(CancellationToken cancellation = default) => Task.CompletedTask;
}

/// <param name="Sha256">Lower-case hex SHA-256 of the content.</param>
public sealed record ArtifactInfo(string Key, string Uri, long Bytes, string Sha256, DateTimeOffset LastModified);

public sealed class ArtifactNotFoundException(string uri) : IOException($"artifact '{uri}' does not exist")
{
    public string Uri { get; } = uri;
}

public sealed class ArtifactCorruptException(string uri, string expected, string actual)
    : IOException($"artifact '{uri}' is corrupt: SHA-256 {actual} does not match the stored {expected}")
{
    public string Uri { get; } = uri;
}
