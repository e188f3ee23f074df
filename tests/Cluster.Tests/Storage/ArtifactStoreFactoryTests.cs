using Cluster.Tests.Infrastructure;
using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class ArtifactStoreFactoryTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("factory-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task BuildsAReachableLocalStore()
    {
        string folder = Path.Combine(root, "artifacts");

        var store = await ArtifactStoreFactory.CreateReachableAsync(new ArtifactStoreOptions { Kind = "local", Path = folder });

        Assert.IsType<LocalFolderArtifactStore>(store);
        Assert.Equal(folder, store.Location);
        Assert.True(Directory.Exists(folder));
    }

    [Fact]
    public async Task BuildsAReachableAzureStoreAndCreatesItsContainer()
    {
        string container = AzuriteFixture.NewContainerName("factory");

        var store = await ArtifactStoreFactory.CreateReachableAsync(new ArtifactStoreOptions
        {
            Kind = "Azure", ConnectionString = azurite.ConnectionString, Container = container,
        });

        Assert.IsType<AzureBlobArtifactStore>(store);
        Assert.Equal($"blob storage at {azurite.Azurite.BlobEndpoint}/{container}", store.Location);
        Assert.True((await azurite.RawContainer(container).ExistsAsync()).Value);
    }

    [Theory]
    [InlineData("s3", null, null, "artifact store kind 's3' is unknown; use 'local' or 'azure'")]
    [InlineData("local", null, null, "artifact store 'local' needs a Path (the root folder)")]
    [InlineData("azure", null, "c", "artifact store 'azure' needs a ConnectionString")]
    [InlineData("azure", "AccountKey=secret-key;nonsense", "c", "artifact store 'azure': the connection string is not a valid Azure Storage connection string")]
    public void RejectsIncompleteOptionsInOneLine(string kind, string? connectionString, string? container, string expected)
    {
        var options = new ArtifactStoreOptions { Kind = kind, ConnectionString = connectionString, Container = container ?? "checkpoints" };

        var error = Assert.Throws<ArgumentException>(() => ArtifactStoreFactory.Create(options));

        Assert.Equal(expected, error.Message);
    }
}
