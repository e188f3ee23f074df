namespace Cluster.Training.Storage;

/// <summary>The store cannot be reached or used at all (wrong endpoint, refused connection, bad credentials, a folder
/// that cannot be created). The message is one line naming the store's location.</summary>
public sealed class ArtifactStoreUnavailableException(string location, string reason, Exception? inner = null)
    : IOException($"{location} is unreachable: {reason}", inner)
{
    public string Location { get; } = location;
}
