using Cluster.Training.Storage;

namespace Cluster.Tests.Grains;

/// <summary>
/// One silo's view of the shared artifact store. A silo killed in process leaves its training threads running (a
/// killed process would not); once <see cref="Kill"/> is called, every store call of that silo fails, so such a thread
/// cannot overwrite the checkpoints of the run that replaced it.
/// </summary>
internal sealed class KillableArtifactStore(IArtifactStore inner, string siloName) : IArtifactStore
{
    private volatile bool killed;

    public void Kill() => killed = true;

    public string Location => inner.Location;

    public string UriOf(string key) => inner.UriOf(key);

    public Task<ArtifactInfo> PutFileAsync(string key, string sourcePath, CancellationToken cancellation = default) =>
        Alive().PutFileAsync(key, sourcePath, cancellation);

    public Task<ArtifactInfo> GetFileAsync(string key, string destinationPath, CancellationToken cancellation = default) =>
        Alive().GetFileAsync(key, destinationPath, cancellation);

    public Task<ArtifactInfo> PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation = default) =>
        Alive().PutBytesAsync(key, content, cancellation);

    public Task<byte[]> GetBytesAsync(string key, CancellationToken cancellation = default) => Alive().GetBytesAsync(key, cancellation);

    public Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellation = default) => Alive().GetInfoAsync(key, cancellation);

    public Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellation = default) =>
        Alive().ListAsync(prefix, cancellation);

    public Task DeleteAsync(string key, CancellationToken cancellation = default) => Alive().DeleteAsync(key, cancellation);

    private IArtifactStore Alive() =>
        killed ? throw new IOException($"silo {siloName} was killed: its artifact store calls fail") : inner;
}
