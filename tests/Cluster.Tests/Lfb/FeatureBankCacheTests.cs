using Cluster.Training.Lfb;
using Cluster.Training.Storage;

namespace Cluster.Tests.Lfb;

public sealed class FeatureBankCacheTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lfb-cache-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string SaveSplit(string prefix, string split, int firstVideo)
    {
        string path = FeatureBankCache.SplitReference(prefix, split);
        FeatureBankFile.Save(BankSamples.Make(2, 4, 3, firstVideo), path, FeatureBankDtype.Float16);
        return path;
    }

    [Fact]
    public void ABankIsReadOnceAndShared()
    {
        string path = SaveSplit(folder, "train", 0);
        var cache = new FeatureBankCache();
        var banks = new FeatureBank[16];
        Parallel.For(0, banks.Length, i => banks[i] = cache.Get(i % 2 == 0 ? path : Path.Combine(folder, ".", "lfb_train.bank")));
        Assert.All(banks, b => Assert.Same(banks[0], b));
        Assert.Equal(1, cache.Reads);
        Assert.Equal(6, banks[0].SecondCount); // vid0: 4 seconds, vid1: 2
    }

    [Fact]
    public void SplitsUnderAPrefixAreMergedOnce()
    {
        SaveSplit(folder, "train", 0);
        SaveSplit(folder, "val", 10);
        var cache = new FeatureBankCache();
        var both = cache.GetSplits(folder, ["train", "val"]);
        Assert.Same(both, cache.GetSplits(folder, ["train", "val"]));
        Assert.Equal(["vid0", "vid1", "vid10", "vid11"], both.Videos);
        Assert.Equal(2, cache.Reads);
        Assert.Equal(2, cache.Get(FeatureBankCache.SplitReference(folder, "val")).VideoCount);
        Assert.Equal(2, cache.Reads);
    }

    [Fact]
    public void AMissingBankIsNamedAndNotRemembered()
    {
        var cache = new FeatureBankCache();
        string path = FeatureBankCache.SplitReference(folder, "val");
        var error = Assert.Throws<FileNotFoundException>(() => cache.GetSplits(folder, ["val"]));
        Assert.Equal($"feature bank '{path}' does not exist", error.Message);
        SaveSplit(folder, "val", 0);
        Assert.Equal(2, cache.GetSplits(folder, ["val"]).VideoCount);
    }

    [Fact]
    public void ABlobUriNeedsAnArtifactStore()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new FeatureBankCache().Get("http://127.0.0.1:10000/devstoreaccount1/c/banks/b/lfb_train.bank"));
        Assert.Contains("no artifact store", error.Message);
        Assert.Equal("http://h/a/c/banks/b1/lfb_val.bank", FeatureBankCache.SplitReference("http://h/a/c/banks/b1/", "val"));
    }

    [Fact]
    public async Task StoredBanksAreReadThroughTheLocatorAndHashChecked()
    {
        var store = new LocalFolderArtifactStore(Path.Combine(folder, "store"));
        string local = SaveSplit(Path.Combine(folder, "made"), "train", 0);
        await store.PutFileAsync("banks/b1/lfb_train.bank", local);
        var cache = new FeatureBankCache();
        cache.UseLocator(new ArtifactLocator(store, Path.Combine(folder, "downloads")));
        string prefix = Path.GetDirectoryName(store.UriOf("banks/b1/lfb_train.bank"))!;

        Assert.Equal(2, cache.GetSplits(prefix, ["train"]).VideoCount);

        // A damaged stored copy is refused by its hash before the bank reader sees it.
        var other = new FeatureBankCache();
        other.UseLocator(new ArtifactLocator(store, Path.Combine(folder, "downloads")));
        var bytes = File.ReadAllBytes(store.UriOf("banks/b1/lfb_train.bank"));
        bytes[^1] ^= 0x40;
        File.WriteAllBytes(store.UriOf("banks/b1/lfb_train.bank"), bytes);
        Assert.Throws<ArtifactCorruptException>(() => other.GetSplits(prefix, ["train"]));
    }
}
