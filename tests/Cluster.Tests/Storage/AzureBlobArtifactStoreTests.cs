using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobArtifactStoreTests(AzuriteFixture azurite) : ArtifactStoreContractTests
{
    private static readonly AzureBlobTransferOptions SmallTransfers = new()
    {
        BlockBytes = 4 << 20, SingleUploadMaxBytes = 1 << 20, DownloadRangeBytes = 1 << 20, MaxConcurrency = 4,
    };

    protected override IArtifactStore NewStore(bool smallTransfers = false) =>
        azurite.NewStore(smallTransfers ? SmallTransfers : null);

    protected override async Task TamperAsync(IArtifactStore store, string key, byte[] content)
    {
        var blob = azurite.RawContainer(ContainerName(store)).GetBlobClient(key);
        var metadata = (await blob.GetPropertiesAsync()).Value.Metadata;
        await blob.UploadAsync(new BinaryData(content), new BlobUploadOptions { Metadata = metadata });
    }

    protected override void OnBytesStaged(IArtifactStore store, Action<long> staged) =>
        ((AzureBlobArtifactStore)store).BytesStaged = staged;

    private static string ContainerName(IArtifactStore store) => ((AzureBlobArtifactStore)store).ContainerUri.Segments[^1].TrimEnd('/');

    [Fact]
    public async Task LargeFilesAreCommittedAsBlocksWithTheHashInMetadata()
    {
        var store = (AzureBlobArtifactStore)NewStore(smallTransfers: true);
        var content = Content((20 << 20) + 123, seed: 11);

        var put = await store.PutBytesAsync("exp/epoch_2.pth", content);

        var blob = azurite.RawContainer(ContainerName(store)).GetBlockBlobClient("exp/epoch_2.pth");
        var blocks = (await blob.GetBlockListAsync(BlockListTypes.All)).Value;
        var properties = (await blob.GetPropertiesAsync()).Value;
        Assert.Equal(6, blocks.CommittedBlocks.Count());
        Assert.Empty(blocks.UncommittedBlocks);
        Assert.Equal(Hex(content), properties.Metadata[AzureBlobArtifactStore.Sha256MetadataKey]);
        Assert.Equal(Hex(content), put.Sha256);
        Assert.Equal($"{azurite.Azurite.BlobEndpoint}/{ContainerName(store)}/exp/epoch_2.pth", put.Uri);
        // Azurite answers a whole-blob GET of a committed block list with an MD5 that is not the content's: read raw.
        var raw = await blob.DownloadContentAsync(new BlobDownloadOptions
        {
            TransferValidation = new DownloadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.None },
        });
        Assert.Equal(content, raw.Value.Content.ToArray());
    }

    [Fact]
    public async Task BlobWithoutAHashIsCorrupt()
    {
        var store = (AzureBlobArtifactStore)NewStore();
        await store.EnsureReachableAsync();
        await azurite.RawContainer(ContainerName(store)).UploadBlobAsync("foreign.pth", new BinaryData(new byte[] { 1, 2, 3 }));

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() => store.GetBytesAsync("foreign.pth"));

        Assert.Contains("(none recorded)", error.Message);
    }

    [Fact]
    public async Task UnreachableEndpointIsOneClearLine()
    {
        const string endpoint = "http://127.0.0.1:1/devstoreaccount1";
        var store = new AzureBlobArtifactStore(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={AzuriteProcess.AccountKey};BlobEndpoint={endpoint};",
            "checkpoints");

        var reach = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.EnsureReachableAsync());
        var read = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.GetBytesAsync("exp/epoch_1.pth"));

        Assert.StartsWith($"blob storage at {endpoint}/checkpoints is unreachable: ", reach.Message);
        Assert.Contains("refused", reach.Message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain('\n', reach.Message);
        Assert.Equal(reach.Message.Split(": ")[0], read.Message.Split(": ")[0]);
        Assert.DoesNotContain('\n', read.Message);
    }

    [Fact]
    public async Task WrongAccountKeyIsUnavailable()
    {
        var wrongKey = Convert.ToBase64String(new byte[64]);
        var store = new AzureBlobArtifactStore(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={wrongKey};BlobEndpoint={azurite.Azurite.BlobEndpoint};",
            "checkpoints");

        var error = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.EnsureReachableAsync());

        Assert.StartsWith($"blob storage at {azurite.Azurite.BlobEndpoint}/checkpoints is unreachable: 403", error.Message);
    }
}
