using Cluster.Tests.Infrastructure;
using Cluster.Training.Lfb;
using Cluster.Training.Storage;

namespace Cluster.Tests.Lfb;

/// <summary>Banks under a blob prefix (Azurite): fetched through the artifact locator, read once per cache.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FeatureBankBlobTests(AzuriteFixture azurite) : IDisposable
{
    private readonly string scratch = Directory.CreateTempSubdirectory("lfb-blob-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    [Fact]
    public async Task SplitsUnderABlobPrefixAreDownloadedOnceAndMerged()
    {
        var store = azurite.NewStore();
        foreach (var (split, first) in new[] { ("train", 0), ("val", 4) })
        {
            using var buffer = new MemoryStream();
            FeatureBankFile.Write(BankSamples.Make(2, 3, 5, first), buffer, FeatureBankDtype.Float16);
            await store.PutBytesAsync($"banks/b1/lfb_{split}.bank", buffer.ToArray());
        }
        var cache = new FeatureBankCache();
        cache.UseLocator(new ArtifactLocator(store, Path.Combine(scratch, "cache")));
        string prefix = store.UriOf("banks/b1");

        var bank = cache.GetSplits(prefix, ["train", "val"]);
        Assert.Same(bank, cache.GetSplits(prefix, ["train", "val"]));
        Assert.Equal(["vid0", "vid1", "vid4", "vid5"], bank.Videos);
        Assert.Equal(5, bank.Channels);
        Assert.Equal(2, cache.Reads);

        var missing = Assert.Throws<FileNotFoundException>(() => cache.GetSplits(prefix, ["test"]));
        Assert.Equal($"feature bank '{prefix}/lfb_test.bank' does not exist", missing.Message);
    }
}
