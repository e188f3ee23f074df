namespace Cluster.Training.Storage;

/// <summary>The store cannot be reached or used at all (wrong endpoint, refused connection, bad credentials, a folder
/// that cannot be created). The message is one line naming the store:
/// <c>blob storage at http://127.0.0.1:1/devstoreaccount1/checkpoints is unreachable: Connection refused (127.0.0.1:1)</c>.</summary>
public sealed class ArtifactStoreUnavailableException(string kind, string location, string reason, Exception? inner = null)
    : IOException($"{kind} {location} is unreachable: {reason}", inner)
{
    public const string BlobKind = "blob storage at";
    public const string FolderKind = "artifact folder";

    /// <summary>The store's <see cref="IArtifactStore.Location"/>.</summary>
    public string Location { get; } = location;
}
