namespace Cluster.Training.Storage;

/// <summary>
/// Turns a checkpoint reference (<c>load_from</c>, <c>resume</c>) into a local, hash-checked file: a path or
/// <c>file://</c> URI stays where it is (checked against its sidecar when it lies inside a local store), a blob URI of
/// the configured account (<c>http(s)://host/account/container/key</c>) is downloaded into
/// <c>{cache}/{sha256}/{file name}</c> and verified, and reused from there while the blob keeps that hash.
/// </summary>
public sealed class ArtifactLocator
{
    public ArtifactLocator(IArtifactStore store, string cacheFolder)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrWhiteSpace(cacheFolder);
        Store = store;
        CacheFolder = Path.GetFullPath(cacheFolder);
    }

    public IArtifactStore Store { get; }
    public string CacheFolder { get; }

    public static bool IsBlobUri(string reference) =>
        reference.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || reference.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>The local path of <paramref name="reference"/>.</summary>
    /// <exception cref="ArtifactNotFoundException">The blob or file does not exist.</exception>
    /// <exception cref="ArtifactCorruptException">Its bytes do not match the stored hash.</exception>
    /// <exception cref="ArgumentException">A URI of another account or endpoint than the configured store's.</exception>
    /// <exception cref="ArtifactStoreUnavailableException">The store cannot be reached.</exception>
    public async Task<string> ResolveAsync(string reference, CancellationToken cancellation = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reference);
        if (IsBlobUri(reference)) return await DownloadAsync(reference, cancellation);
        string path = Path.GetFullPath(reference.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? new Uri(reference).LocalPath : reference);
        if (!File.Exists(path)) throw new ArtifactNotFoundException(path);
        if (Store is LocalFolderArtifactStore local && local.KeyOf(path) is { } key)
            await local.VerifyAsync(key, cancellation);
        return path;
    }

    private async Task<string> DownloadAsync(string uri, CancellationToken cancellation)
    {
        if (Store is not AzureBlobArtifactStore azure || !azure.TryResolve(uri, out var source, out string key))
            throw new ArgumentException($"'{uri}' is not a blob of the configured artifact store ({Store.Location})");
        var info = await source.GetInfoAsync(key, cancellation) ?? throw new ArtifactNotFoundException(uri);
        string name = Path.GetFileName(key);
        string cached = Path.Combine(CacheFolder, info.Sha256, name);
        if (File.Exists(cached) && await Sha256Hex.OfFileAsync(cached, cancellation) == info.Sha256) return cached;
        Directory.CreateDirectory(CacheFolder);
        string download = Path.Combine(CacheFolder, $".{name}.{Guid.NewGuid():N}.download");
        try
        {
            // The blob may have been overwritten since GetInfo: file the bytes under the hash they were verified against.
            var downloaded = await source.GetFileAsync(key, download, cancellation);
            cached = Path.Combine(CacheFolder, downloaded.Sha256, name);
            Directory.CreateDirectory(Path.GetDirectoryName(cached)!);
            File.Move(download, cached, overwrite: true);
            return cached;
        }
        finally
        {
            File.Delete(download);
        }
    }
}
