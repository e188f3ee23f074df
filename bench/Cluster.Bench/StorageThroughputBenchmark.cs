using System.Diagnostics;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Storage;

namespace Cluster.Bench;

/// <summary>
/// Benchmark 3: checkpoint save and load through <see cref="AzureBlobArtifactStore"/> (SHA-256 kept and verified,
/// atomic block commit, ETag-pinned parallel ranged reads) against the plain Azure.Storage.Blobs calls on the same bytes
/// (<c>BlobClient.UploadAsync(path)</c> / <c>DownloadToAsync(path)</c>) with the same client options (service version,
/// MD5 transfer validation, retries) and the same block size, range size and concurrency. Both run against one Azurite
/// started for the run, alternately, a fresh file of random bytes per size.
/// </summary>
public static class StorageThroughputBenchmark
{
    public const string Name = "checkpoint storage";
    private const double Goal = 0.8;

    /// <param name="SizesMiB">Checkpoint sizes.</param>
    /// <param name="Repeats">Rounds of (store save + load, raw upload + download) per size.</param>
    public sealed record Settings(IReadOnlyList<int> SizesMiB, int Repeats);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        return RunAsync(settings, workDir).GetAwaiter().GetResult();
    }

    private static async Task<IReadOnlyList<BenchRow>> RunAsync(Settings settings, string workDir)
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var transfer = new AzureBlobTransferOptions();
        var store = new AzureBlobArtifactStore(azurite.ConnectionString, "bench-store", transfer);
        await store.EnsureReachableAsync();
        var raw = new BlobContainerClient(azurite.ConnectionString, "bench-raw", AzureBlobArtifactStore.ClientOptions());
        await raw.CreateIfNotExistsAsync();
        var uploadTransfer = new StorageTransferOptions
        {
            InitialTransferSize = transfer.SingleUploadMaxBytes,
            MaximumTransferSize = transfer.BlockBytes,
            MaximumConcurrency = transfer.MaxConcurrency,
        };
        var downloadTransfer = new StorageTransferOptions
        {
            InitialTransferSize = transfer.DownloadRangeBytes,
            MaximumTransferSize = transfer.DownloadRangeBytes,
            MaximumConcurrency = transfer.MaxConcurrency,
        };

        var rows = new List<BenchRow>();
        foreach (int sizeMiB in settings.SizesMiB)
        {
            string source = Path.Combine(workDir, $"checkpoint-{sizeMiB}.pth");
            WriteRandomFile(source, sizeMiB << 20);
            string storeCopy = Path.Combine(workDir, "store-copy.pth");
            string rawCopy = Path.Combine(workDir, "raw-copy.pth");
            string key = $"experiments/bench/epoch_{sizeMiB}.pth";
            var blob = raw.GetBlobClient(key);
            Samples storeSave = new(), storeLoad = new(), rawSave = new(), rawLoad = new();
            double megabytes = sizeMiB;

            // One untimed round each: connections, JIT, Azurite's first write of the blob.
            await store.PutFileAsync(key, source);
            await store.GetFileAsync(key, storeCopy);
            await blob.UploadAsync(source, new BlobUploadOptions { TransferOptions = uploadTransfer });
            await blob.DownloadToAsync(rawCopy, new BlobDownloadToOptions { TransferOptions = downloadTransfer });

            for (int repeat = 0; repeat < settings.Repeats; repeat++)
            {
                async Task StoreRound()
                {
                    storeSave.Add(megabytes / await Seconds(() => store.PutFileAsync(key, source)));
                    storeLoad.Add(megabytes / await Seconds(() => store.GetFileAsync(key, storeCopy)));
                }
                async Task RawRound()
                {
                    rawSave.Add(megabytes / await Seconds(() => blob.UploadAsync(source, new BlobUploadOptions { TransferOptions = uploadTransfer })));
                    rawLoad.Add(megabytes / await Seconds(() => blob.DownloadToAsync(rawCopy, new BlobDownloadToOptions { TransferOptions = downloadTransfer })));
                }
                if (repeat % 2 == 0) { await StoreRound(); await RawRound(); }
                else { await RawRound(); await StoreRound(); }
            }
            if (new FileInfo(storeCopy).Length != new FileInfo(source).Length || new FileInfo(rawCopy).Length != new FileInfo(source).Length)
                throw new InvalidOperationException("a download came back with the wrong size");

            rows.Add(BenchRow.Throughput(Name, $"save {sizeMiB} MiB", storeSave, "MiB/s", rawSave, "raw upload", Goal));
            rows.Add(BenchRow.Throughput(Name, $"load {sizeMiB} MiB", storeLoad, "MiB/s", rawLoad, "raw download", Goal));
            File.Delete(source);
        }
        return rows;
    }

    private static async Task<double> Seconds(Func<Task> operation)
    {
        var clock = Stopwatch.StartNew();
        await operation();
        return clock.Elapsed.TotalSeconds;
    }

    private static void WriteRandomFile(string path, long bytes)
    {
        var random = new Random(42);
        var buffer = new byte[1 << 20];
        using var file = File.Create(path);
        for (long written = 0; written < bytes; written += buffer.Length)
        {
            random.NextBytes(buffer);
            file.Write(buffer);
        }
    }
}
