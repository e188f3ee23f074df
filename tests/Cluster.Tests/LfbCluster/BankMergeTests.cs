using Cluster.Abstractions.Lfb;
using Cluster.Grains.Lfb;
using Cluster.Training.Lfb;
using Cluster.Training.Storage;

namespace Cluster.Tests.LfbCluster;

/// <summary>The merge of stored parts into a split's bank blob, against a temp-folder artifact store.</summary>
public sealed class BankMergeTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("bank-merge-").FullName;
    private readonly LocalFolderArtifactStore store;

    public BankMergeTests() => store = new LocalFolderArtifactStore(Path.Combine(root, "store"));

    public void Dispose() => Directory.Delete(root, recursive: true);

    private static FeatureBank Bank(int channels, params (string Video, int Second, int Persons)[] entries)
    {
        var bank = new FeatureBank(channels);
        foreach (var (video, second, persons) in entries)
            bank.Add(video, second, Enumerable.Range(0, persons * channels).Select(i => second - 900 + i * 0.25f + video.Length).ToArray());
        return bank;
    }

    private async Task<BankPart> Store(string key, FeatureBank bank, FeatureBankDtype dtype = FeatureBankDtype.Float32)
    {
        string file = Path.Combine(root, Path.GetFileName(key));
        FeatureBankFile.Save(bank, file, dtype);
        var info = await store.PutFileAsync(key, file);
        return new BankPart(new BankBlob(info.Key, info.Uri, info.Bytes, info.Sha256), bank.PersonCount, bank.VideoCount, 0.1, "w", DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task PartsMergeIntoOneBankInTheSplitsDtypeAndEmptyPartsAreSkipped()
    {
        var a = Bank(3, ("vidB", 901, 2), ("vidB", 902, 1));
        var b = Bank(3, ("vidA", 901, 1));
        var parts = new[] { await Store("banks/x/parts/val/0.bank", a), await Store("banks/x/parts/val/1.bank", new FeatureBank(7)),
            await Store("banks/x/parts/val/2.bank", b) };

        var blob = await BankMerge.MergeAsync(store, parts, "banks/x/lfb_val.bank", "float16", Path.Combine(root, "scratch"));

        Assert.Equal("banks/x/lfb_val.bank", blob.Key);
        string local = Path.Combine(root, "merged.bank");
        var info = await store.GetFileAsync(blob.Key, local);
        Assert.Equal((blob.Sha256, blob.Bytes), (info.Sha256, info.Bytes));
        var merged = FeatureBankFile.Load(local);
        Assert.Equal(FeatureBankDtype.Float16, FeatureBankFile.ReadInfo(local).Dtype);
        Assert.Equal(["vidA", "vidB"], merged.Videos);
        Assert.Equal(4, merged.PersonCount);
        Assert.True(merged.ContentEquals(FeatureBank.Merge([a, b])));
    }

    [Fact]
    public async Task APartWhoseBytesChangedSinceItWasRecordedFailsTheMerge()
    {
        var part = await Store("banks/y/parts/val/0.bank", Bank(2, ("v", 901, 1)));
        await Store("banks/y/parts/val/0.bank", Bank(2, ("v", 901, 2))); // overwritten after it was recorded

        var error = await Assert.ThrowsAsync<ArtifactCorruptException>(() =>
            BankMerge.MergeAsync(store, [part], "banks/y/lfb_val.bank", "float32", Path.Combine(root, "scratch")));

        Assert.Contains("0.bank", error.Message);
        Assert.Null(await store.GetInfoAsync("banks/y/lfb_val.bank"));
    }
}
