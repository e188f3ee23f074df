using Azure.Storage.Blobs;
using Cluster.Training.Storage;

namespace Cluster.Tests.Infrastructure;

/// <summary>One Azurite for a test collection: tests ask for a fresh container each, so they never see each other's
/// blobs. Use it with <c>[Collection(AzuriteCollection.Name)]</c> and a constructor parameter.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? azurite;

    public AzuriteProcess Azurite => azurite ?? throw new InvalidOperationException("Azurite is not started");

    public string ConnectionString => Azurite.ConnectionString;

    /// <summary>A container name no other test uses (created on first write).</summary>
    public static string NewContainerName(string prefix = "test") => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(63, prefix.Length + 33)];

    public AzureBlobArtifactStore NewStore(AzureBlobTransferOptions? transfer = null, string prefix = "test") =>
        new(ConnectionString, NewContainerName(prefix), transfer);

    /// <summary>A plain SDK client, for reading or writing behind a store's back.</summary>
    public BlobContainerClient RawContainer(string name) =>
        new(ConnectionString, name, AzureBlobArtifactStore.ClientOptions());

    public async Task InitializeAsync() => azurite = await AzuriteProcess.StartAsync();

    public async Task DisposeAsync()
    {
        if (azurite is not null) await azurite.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
