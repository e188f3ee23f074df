using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

public sealed class LocalFolderArtifactStoreTests : ArtifactStoreContractTests
{
    private readonly string root = Directory.CreateTempSubdirectory("local-store-").FullName;

    public override void Dispose()
    {
        Directory.Delete(root, recursive: true);
        base.Dispose();
    }

    protected override IArtifactStore NewStore(bool smallTransfers = false) =>
        new LocalFolderArtifactStore(Path.Combine(root, Guid.NewGuid().ToString("N")));

    protected override Task TamperAsync(IArtifactStore store, string key, byte[] content) =>
        File.WriteAllBytesAsync(store.UriOf(key), content);

    protected override void OnBytesStaged(IArtifactStore store, Action<long> staged) =>
        ((LocalFolderArtifactStore)store).BytesStaged = staged;

    [Fact]
    public async Task KeysArePlainFilesUnderTheRoot()
    {
        var store = (LocalFolderArtifactStore)NewStore();
        var content = Content(4096, seed: 8);

        await store.PutBytesAsync("exp/epoch_1.pth", content);

        string path = Path.Combine(store.Location, "exp", "epoch_1.pth");
        Assert.Equal(path, store.UriOf("exp/epoch_1.pth"));
        Assert.Equal(content, await File.ReadAllBytesAsync(path));
        Assert.Equal([Hex(content)], await File.ReadAllLinesAsync(Path.Combine(store.Location, "exp", ".epoch_1.pth.sha256")));
        Assert.Equal("exp/epoch_1.pth", store.KeyOf(path));
        Assert.Null(store.KeyOf(Path.Combine(Scratch, "elsewhere.pth")));
    }

    [Fact]
    public async Task ContentReplacedWithoutItsSidecarIsCorruptAfterRetries()
    {
        // A writer that died between rename and sidecar still leaves a readable object: the sidecar accepts both.
        var store = (LocalFolderArtifactStore)NewStore();
        var old = Content(1000, 9);
        var replacement = Content(1000, 10);
        await store.PutBytesAsync("k.bin", old);
        string sidecar = Path.Combine(store.Location, ".k.bin.sha256");
        await File.WriteAllLinesAsync(sidecar, [Hex(replacement), Hex(old)]);
        await File.WriteAllBytesAsync(store.UriOf("k.bin"), replacement);

        Assert.Equal(replacement, await store.GetBytesAsync("k.bin"));

        await File.WriteAllLinesAsync(sidecar, [Hex(old)]);
        await Assert.ThrowsAsync<ArtifactCorruptException>(() => store.VerifyAsync("k.bin"));
    }

    [Fact]
    public async Task UnusableFolderIsUnavailableInOneLine()
    {
        string file = Path.Combine(Scratch, "not-a-folder");
        await File.WriteAllTextAsync(file, "x");
        var store = new LocalFolderArtifactStore(Path.Combine(file, "store"));

        var error = await Assert.ThrowsAsync<ArtifactStoreUnavailableException>(() => store.EnsureReachableAsync());

        Assert.StartsWith($"artifact folder {store.Location} is unreachable: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
