using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Configs;
using Cluster.Training.Experiments;
using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

/// <summary><c>load_from</c> / <c>resume</c> given as blob URIs: resolved to a verified local file before the run, or
/// rejected by <see cref="TrainingJob.Prepare"/> with a ConfigException naming load_from.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CheckpointReferenceTests(AzuriteFixture azurite) : IDisposable
{
    private static readonly string DemoConfig = DemoDataset.Config("demo/tsn_tiny_synth.yaml");
    private readonly string scratch = Directory.CreateTempSubdirectory("ckpt-ref-").FullName;

    public void Dispose() => Directory.Delete(scratch, recursive: true);

    private string Cache => Path.Combine(scratch, "cache");

    private TrainingJob Prepare(ArtifactLocator? locator, params string[] overrides) =>
        TrainingJob.Prepare(ConfigLoader.Load(DemoConfig, overrides.ToList()), Path.Combine(scratch, "work"), "cpu", locator);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BlobUriIsDownloadedAndVerifiedBeforeTheRun(bool resume)
    {
        var store = azurite.NewStore();
        var content = new byte[300_000];
        new Random(1).NextBytes(content);
        var put = await store.PutBytesAsync("experiments/exp-1/epoch_4.pth", content);
        var locator = new ArtifactLocator(store, Cache);

        var job = Prepare(locator, $"load_from={put.Uri}", $"resume={resume.ToString().ToLowerInvariant()}");

        string? local = resume ? job.ResumeFrom : job.LoadFrom;
        Assert.Null(resume ? job.LoadFrom : job.ResumeFrom);
        Assert.Equal(Path.Combine(Cache, put.Sha256, "epoch_4.pth"), local);
        Assert.Equal(content, await File.ReadAllBytesAsync(local!));
        Assert.False(Directory.Exists(Path.Combine(scratch, "work")));
    }

    [Fact]
    public async Task MissingBlobIsAConfigErrorNamingLoadFrom()
    {
        var store = azurite.NewStore();
        await store.EnsureReachableAsync();
        string uri = store.UriOf("experiments/none/epoch_1.pth");

        var error = Assert.Throws<ConfigException>(() => Prepare(new ArtifactLocator(store, Cache), $"load_from={uri}"));

        Assert.Equal("load_from", error.KeyPath);
        Assert.Equal($"checkpoint '{uri}' does not exist", error.Problem);
        Assert.False(Directory.Exists(Path.Combine(scratch, "work")));
    }

    [Fact]
    public async Task CorruptBlobIsAConfigErrorNamingLoadFrom()
    {
        var store = azurite.NewStore();
        var put = await store.PutBytesAsync("exp/epoch_1.pth", new byte[] { 1, 2, 3, 4 });
        var raw = azurite.RawContainer(store.ContainerUri.Segments[^1]).GetBlobClient("exp/epoch_1.pth");
        await raw.UploadAsync(new BinaryData(new byte[] { 1, 2, 3, 5 }),
            new Azure.Storage.Blobs.Models.BlobUploadOptions { Metadata = new Dictionary<string, string> { ["sha256"] = put.Sha256 } });

        var error = Assert.Throws<ConfigException>(() => Prepare(new ArtifactLocator(store, Cache), $"load_from={put.Uri}"));

        Assert.Equal("load_from", error.KeyPath);
        Assert.Contains("is corrupt", error.Problem);
        Assert.Empty(Directory.GetFiles(Cache, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void BlobUriWithoutAStoreIsAConfigError()
    {
        var error = Assert.Throws<ConfigException>(() => Prepare(null, "load_from=http://127.0.0.1:10000/devstoreaccount1/c/epoch_1.pth"));

        Assert.Equal("load_from", error.KeyPath);
        Assert.Contains("no artifact store is configured", error.Problem);
    }

    [Fact]
    public void BlobOfAnotherAccountIsRejected()
    {
        var store = azurite.NewStore();

        var error = Assert.Throws<ConfigException>(() =>
            Prepare(new ArtifactLocator(store, Cache), "load_from=https://other.blob.core.windows.net/checkpoints/epoch_1.pth"));

        Assert.Equal("load_from", error.KeyPath);
        Assert.Contains("is not a blob of the configured artifact store", error.Problem);
    }

    [Fact]
    public async Task BlobInAnotherContainerOfTheAccountResolves()
    {
        var other = azurite.NewStore(prefix: "other");
        var put = await other.PutBytesAsync("epoch_2.pth", new byte[] { 9, 8, 7 });
        var locator = new ArtifactLocator(azurite.NewStore(), Cache);

        string local = await locator.ResolveAsync(put.Uri);

        Assert.Equal(new byte[] { 9, 8, 7 }, await File.ReadAllBytesAsync(local));
    }

    [Fact]
    public async Task CachedDownloadIsReusedWhileTheBlobKeepsItsHash()
    {
        var store = azurite.NewStore();
        var put = await store.PutBytesAsync("epoch_1.pth", new byte[] { 1, 1, 1 });
        var locator = new ArtifactLocator(store, Cache);
        string first = await locator.ResolveAsync(put.Uri);
        var stamp = File.GetLastWriteTimeUtc(first).AddHours(-1);
        File.SetLastWriteTimeUtc(first, stamp);

        string again = await locator.ResolveAsync(put.Uri);
        var replaced = await store.PutBytesAsync("epoch_1.pth", new byte[] { 2, 2 });
        string updated = await locator.ResolveAsync(put.Uri);

        Assert.Equal(first, again);
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(again));
        Assert.Equal(Path.Combine(Cache, replaced.Sha256, "epoch_1.pth"), updated);
        Assert.Equal(new byte[] { 2, 2 }, await File.ReadAllBytesAsync(updated));
    }

    [Fact]
    public async Task PathsAndFileUrisStayLocalAndAreVerifiedInsideALocalStore()
    {
        var store = new LocalFolderArtifactStore(Path.Combine(scratch, "store"));
        var put = await store.PutBytesAsync("exp/epoch_1.pth", new byte[] { 4, 5, 6 });
        var locator = new ArtifactLocator(store, Cache);
        string outside = Path.Combine(scratch, "outside.pth");
        await File.WriteAllBytesAsync(outside, [1]);

        Assert.Equal(put.Uri, await locator.ResolveAsync(put.Uri));
        Assert.Equal(put.Uri, await locator.ResolveAsync(new Uri(put.Uri).AbsoluteUri));
        Assert.Equal(outside, await locator.ResolveAsync(outside));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => locator.ResolveAsync(Path.Combine(scratch, "none.pth")));
        await File.WriteAllBytesAsync(put.Uri, [4, 5, 7]);
        await Assert.ThrowsAsync<ArtifactCorruptException>(() => locator.ResolveAsync(put.Uri));
        await Assert.ThrowsAsync<ArgumentException>(() => locator.ResolveAsync("http://127.0.0.1:10000/devstoreaccount1/c/x.pth"));
    }
}
