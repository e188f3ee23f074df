namespace Cluster.Training.Storage;

public static class ArtifactStoreFactory
{
    /// <summary>Builds the store the options name (nothing is contacted or created yet; see
    /// <see cref="CreateReachableAsync"/>).</summary>
    /// <exception cref="ArgumentException">An unknown kind or a missing setting, in one line naming it.</exception>
    public static IArtifactStore Create(ArtifactStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        switch ((options.Kind ?? "").Trim().ToLowerInvariant())
        {
            case ArtifactStoreOptions.LocalKind:
                if (string.IsNullOrWhiteSpace(options.Path))
                    throw new ArgumentException("artifact store 'local' needs a Path (the root folder)");
                return new LocalFolderArtifactStore(options.Path);
            case ArtifactStoreOptions.AzureKind:
                if (string.IsNullOrWhiteSpace(options.ConnectionString))
                    throw new ArgumentException("artifact store 'azure' needs a ConnectionString");
                if (string.IsNullOrWhiteSpace(options.Container))
                    throw new ArgumentException("artifact store 'azure' needs a Container");
                return new AzureBlobArtifactStore(options.ConnectionString, options.Container);
            default:
                throw new ArgumentException($"artifact store kind '{options.Kind}' is unknown; use '{ArtifactStoreOptions.LocalKind}' or '{ArtifactStoreOptions.AzureKind}'");
        }
    }

    /// <summary><see cref="Create"/>, then <see cref="IArtifactStore.EnsureReachableAsync"/>: a silo calls this at
    /// start so unreachable storage is one clear line before any work is accepted.</summary>
    /// <exception cref="ArtifactStoreUnavailableException">The store cannot be used.</exception>
    public static async Task<IArtifactStore> CreateReachableAsync(ArtifactStoreOptions options, CancellationToken cancellation = default)
    {
        var store = Create(options);
        await store.EnsureReachableAsync(cancellation);
        return store;
    }
}
