namespace Cluster.Training.Storage;

/// <summary>
/// Which artifact store a silo (or the embedded client) uses; bound from configuration (section <c>Artifacts</c> by
/// convention). <see cref="Kind"/> <c>local</c> needs <see cref="Path"/>; <c>azure</c> needs
/// <see cref="ConnectionString"/> and <see cref="Container"/>.
/// </summary>
public sealed class ArtifactStoreOptions
{
    public const string LocalKind = "local";
    public const string AzureKind = "azure";

    public string Kind { get; set; } = LocalKind;

    /// <summary>Root folder of the local store.</summary>
    public string? Path { get; set; }

    /// <summary>An Azure Storage connection string (<c>UseDevelopmentStorage=true</c> for Azurite's default port).</summary>
    public string? ConnectionString { get; set; }

    public string Container { get; set; } = "checkpoints";
}
