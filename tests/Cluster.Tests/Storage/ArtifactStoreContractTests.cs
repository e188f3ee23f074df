using System.Security.Cryptography;
using Cluster.Training.Storage;

namespace Cluster.Tests.Storage;

/// <summary>
/// What every <see cref="IArtifactStore"/> promises, run once per backend (local folder, Azure blobs on Azurite).
/// Expected hashes come from <see cref="SHA256.HashData(byte[])"/>, never from the store.
/// </summary>
public abstract class ArtifactStoreContractTests : IDisposable
{
    protected readonly string Scratch = Directory.CreateTempSubdirectory("store-test-").FullName;

    public virtual void Dispose() => Directory.Delete(Scratch, recursive: true);

    /// <summary>A fresh, empty store. Small transfer sizes make multi-block writes and multi-range reads out of a few MiB.</summary>
    protected abstract IArtifactStore NewStore(bool smallTransfers = false);

    /// <summary>Replaces the stored bytes behind the store's back, leaving its recorded hash as it was.</summary>
    protected abstract Task TamperAsync(IArtifactStore store, string key, byte[] content);

    /// <summary>Sets the store's test hook that reports bytes staged by the running upload.</summary>
    protected abstract void OnBytesStaged(IArtifactStore store, Action<long> staged);

    protected static byte[] Content(int bytes, int seed)
    {
        var content = new byte[bytes];
        new Random(seed).NextBytes(content);
        return content;
    }

    protected static string Hex(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));

    [Fact]
    public async Task BytesRoundTripWithTheirHash()
    {
        var store = NewStore();
        var content = Content(100_000, seed: 1);

        var put = await store.PutBytesAsync("runs/a/epoch_1.pth", content);
        var info = await store.GetInfoAsync("runs/a/epoch_1.pth");

        Assert.Equal(Hex(content), put.Sha256);
        Assert.Equal(content.Length, put.Bytes);
        Assert.Equal(store.UriOf("runs/a/epoch_1.pth"), put.Uri);
        Assert.Equal(put.Sha256, info!.Sha256);
        Assert.Equal(content.Length, info.Bytes);
        Assert.Equal(content, await store.GetBytesAsync("runs/a/epoch_1.pth"));
    }

    [Fact]
    public async Task FilesRoundTripThroughParallelBlocks()
    {
        var store = NewStore(smallTransfers: true);
        var content = Content(20 << 20, seed: 2);
        string source = Path.Combine(Scratch, "big.pth");
        await File.WriteAllBytesAsync(source, content);

        var put = await store.PutFileAsync("big/epoch_9.pth", source);
        string destination = Path.Combine(Scratch, "down", "epoch_9.pth");
        var got = await store.GetFileAsync("big/epoch_9.pth", destination);

        Assert.Equal(Hex(content), put.Sha256);
        Assert.Equal(put.Sha256, got.Sha256);
        Assert.Equal(content.LongLength, got.Bytes);
        Assert.Equal(content, await File.ReadAllBytesAsync(destination));
        Assert.Equal([Path.GetFileName(destination)], Directory.GetFiles(Path.GetDirectoryName(destination)!).Select(Path.GetFileName));
    }

    [Fact]
    public async Task ConcurrentReadersSeeAWholeOldOrWholeNewObject()
    {
        var store = NewStore(smallTransfers: true);
        byte[][] versions = [Content(3 << 20, seed: 3), Content(3 << 20, seed: 4)];
        string[] hashes = [Hex(versions[0]), Hex(versions[1])];
        await store.PutBytesAsync("model/latest.pth", versions[0]);
        int reads = 0;
        var seen = new HashSet<string>();
        using var writing = new CancellationTokenSource();

        var reader = Task.Run(async () =>
        {
            while (!writing.IsCancellationRequested || reads == 0)
            {
                var got = await store.GetBytesAsync("model/latest.pth");
                lock (seen) seen.Add(Hex(got));
                Interlocked.Increment(ref reads);
            }
        });
        for (int write = 1; write <= 8; write++)
        {
            // Each overwrite waits for some read to finish, so reads keep completing while overlapping writes.
            int before = Volatile.Read(ref reads);
            await store.PutBytesAsync("model/latest.pth", versions[write % 2]);
            while (Volatile.Read(ref reads) == before && !reader.IsCompleted) await Task.Delay(1);
        }
        await writing.CancelAsync();
        await reader;

        Assert.Subset(hashes.ToHashSet(), seen);
        Assert.NotEmpty(seen);
    }

    [Fact]
    public async Task CancelledUploadLeavesThePreviousVersion()
    {
        var store = NewStore(smallTransfers: true);
        var previous = Content(1000, seed: 5);
        await store.PutBytesAsync("ckpt/epoch_1.pth", previous);
        string source = Path.Combine(Scratch, "next.pth");
        await File.WriteAllBytesAsync(source, Content(12 << 20, seed: 6));
        using var cancel = new CancellationTokenSource();
        OnBytesStaged(store, _ => cancel.Cancel());

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.PutFileAsync("ckpt/epoch_1.pth", source, cancel.Token));

        Assert.Equal(previous, await store.GetBytesAsync("ckpt/epoch_1.pth"));
        Assert.Equal(Hex(previous), (await store.GetInfoAsync("ckpt/epoch_1.pth"))!.Sha256);
        Assert.Equal(["ckpt/epoch_1.pth"], (await store.ListAsync("")).Select(i => i.Key));
    }

    [Fact]
    public async Task TamperedBytesAreReportedCorrupt()
    {
        var store = NewStore();
        var original = Content(50_000, seed: 7);
        await store.PutBytesAsync("ckpt/best.pth", original);
        var tampered = (byte[])original.Clone();
        tampered[12_345] ^= 0x40;
        await TamperAsync(store, "ckpt/best.pth", tampered);
        string destination = Path.Combine(Scratch, "best.pth");

        var bytesError = await Assert.ThrowsAsync<ArtifactCorruptException>(() => store.GetBytesAsync("ckpt/best.pth"));
        var fileError = await Assert.ThrowsAsync<ArtifactCorruptException>(() => store.GetFileAsync("ckpt/best.pth", destination));

        Assert.Contains(Hex(original), bytesError.Message);
        Assert.Contains(Hex(tampered), bytesError.Message);
        Assert.Equal(store.UriOf("ckpt/best.pth"), fileError.Uri);
        Assert.False(File.Exists(destination));
        Assert.Empty(Directory.GetFiles(Scratch));
    }

    [Fact]
    public async Task MissingKeysAreNotFound()
    {
        var store = NewStore();
        await store.PutBytesAsync("present.bin", new byte[] { 1 });

        var error = await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.GetBytesAsync("absent/epoch_1.pth"));
        await Assert.ThrowsAsync<ArtifactNotFoundException>(() => store.GetFileAsync("absent/epoch_1.pth", Path.Combine(Scratch, "x")));

        Assert.Equal(store.UriOf("absent/epoch_1.pth"), error.Uri);
        Assert.Null(await store.GetInfoAsync("absent/epoch_1.pth"));
        await store.DeleteAsync("absent/epoch_1.pth");
        Assert.Empty(Directory.GetFiles(Scratch));
    }

    [Fact]
    public async Task ListsByPrefixAndDeletes()
    {
        var store = NewStore();
        Assert.Empty(await store.ListAsync(""));
        await store.PutBytesAsync("exp-1/epoch_1.pth", Content(10, 1));
        await store.PutBytesAsync("exp-1/epoch_2.pth", Content(20, 2));
        await store.PutBytesAsync("exp-10/epoch_1.pth", Content(30, 3));

        var listed = await store.ListAsync("exp-1/");
        await store.DeleteAsync("exp-1/epoch_1.pth");

        Assert.Equal(["exp-1/epoch_1.pth", "exp-1/epoch_2.pth"], listed.Select(i => i.Key));
        Assert.Equal([Hex(Content(10, 1)), Hex(Content(20, 2))], listed.Select(i => i.Sha256));
        Assert.Equal([10L, 20L], listed.Select(i => i.Bytes));
        Assert.Equal(["exp-1/epoch_2.pth", "exp-10/epoch_1.pth"], (await store.ListAsync("")).Select(i => i.Key));
        Assert.Null(await store.GetInfoAsync("exp-1/epoch_1.pth"));
    }

    [Theory]
    [InlineData("/abs/key")]
    [InlineData("a/../b")]
    [InlineData("a//b")]
    [InlineData(".hidden")]
    [InlineData("a\\b")]
    [InlineData("")]
    public async Task RejectsKeysOutsideTheStore(string key)
    {
        var store = NewStore();
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutBytesAsync(key, new byte[] { 1 }));
    }
}
