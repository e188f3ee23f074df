using System.Buffers;
using System.Net;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace Cluster.Training.Storage;

/// <summary>
/// Artifacts as block blobs in one container. Every write is atomic: one Put Blob, or staged blocks that only become
/// the blob when the block list commits, so readers see the old or the whole new object and a cancelled upload leaves
/// the old one. The SHA-256 of the content travels in blob metadata (<c>sha256</c>) and is checked on every read;
/// reads pin the blob's ETag, so a read that overlaps an overwrite starts over instead of mixing versions. Each request
/// also carries an MD5 transfer check (CRC64 is not supported by Azurite).
/// </summary>
public sealed class AzureBlobArtifactStore : IArtifactStore
{
    public const string Sha256MetadataKey = "sha256";
    private const int ReadAttempts = 5;
    private static readonly TimeSpan ReachabilityTimeout = TimeSpan.FromSeconds(10);

    private readonly BlobServiceClient service;
    private readonly BlobContainerClient container;
    private readonly AzureBlobTransferOptions transfer;
    private volatile bool containerReady;

    public AzureBlobArtifactStore(string connectionString, string containerName, AzureBlobTransferOptions? transfer = null)
        : this(CreateService(connectionString), containerName, transfer)
    {
    }

    private AzureBlobArtifactStore(BlobServiceClient service, string containerName, AzureBlobTransferOptions? transfer)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(containerName);
        this.service = service;
        container = service.GetBlobContainerClient(containerName);
        this.transfer = transfer ?? new AzureBlobTransferOptions();
        this.transfer.Validate();
        Location = $"blob storage at {container.Uri.AbsoluteUri.TrimEnd('/')}";
    }

    /// <summary>Client options every blob client of the project uses (the benchmark's raw baseline too).</summary>
    public static BlobClientOptions ClientOptions()
    {
        // The SDK's default service version (2026-10-06) is newer than Azurite 3.37 accepts.
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(60);
        options.TransferValidation.Upload.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        options.TransferValidation.Download.ChecksumAlgorithm = StorageChecksumAlgorithm.MD5;
        options.TransferValidation.Download.AutoValidateChecksum = true;
        return options;
    }

    public string Location { get; }

    public Uri ContainerUri => container.Uri;

    /// <summary>Test hook: total bytes staged so far by the running upload (after each block or the single put).</summary>
    internal Action<long>? BytesStaged { get; set; }

    public string UriOf(string key) => container.GetBlobClient(ArtifactKeys.Validate(key)).Uri.AbsoluteUri;

    /// <summary>The key that <paramref name="uri"/> names when it is a blob of this account (possibly in another
    /// container, returned as a store over that container), else false.</summary>
    public bool TryResolve(string uri, out AzureBlobArtifactStore store, out string key)
    {
        store = this;
        key = "";
        if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme is not ("http" or "https")) return false;
        var target = new BlobUriBuilder(parsed);
        var account = new BlobUriBuilder(service.Uri);
        if (!string.Equals(target.Host, account.Host, StringComparison.OrdinalIgnoreCase) || target.Port != account.Port
            || !string.Equals(target.AccountName, account.AccountName, StringComparison.Ordinal)
            || string.IsNullOrEmpty(target.BlobContainerName) || string.IsNullOrEmpty(target.BlobName))
            return false;
        key = target.BlobName;
        if (target.BlobContainerName != container.Name)
            store = new AzureBlobArtifactStore(service, target.BlobContainerName, transfer);
        return true;
    }

    public async Task EnsureReachableAsync(CancellationToken cancellation = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(ReachabilityTimeout);
        try
        {
            await container.CreateIfNotExistsAsync(cancellationToken: timeout.Token);
            containerReady = true;
        }
        catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
        {
            throw new ArtifactStoreUnavailableException(Location, $"no answer within {ReachabilityTimeout.TotalSeconds:0} s");
        }
        catch (Exception error) when (error is RequestFailedException or AggregateException or HttpRequestException)
        {
            throw new ArtifactStoreUnavailableException(Location, Reason(error), error);
        }
    }

    public async Task<ArtifactInfo> PutFileAsync(string key, string sourcePath, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        await using var source = new FileStream(sourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        if (source.Length > transfer.SingleUploadMaxBytes)
            return await Translate(blob, () => PutInBlocksAsync(key, blob, source, cancellation));
        var content = new byte[source.Length];
        await source.ReadExactlyAsync(content, cancellation);
        return await Translate(blob, () => PutSingleAsync(key, blob, content, cancellation));
    }

    public async Task<ArtifactInfo> PutBytesAsync(string key, ReadOnlyMemory<byte> content, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        if (content.Length > transfer.SingleUploadMaxBytes)
        {
            await using var source = MemoryStreams.Over(content);
            return await Translate(blob, () => PutInBlocksAsync(key, blob, source, cancellation));
        }
        return await Translate(blob, () => PutSingleAsync(key, blob, content, cancellation));
    }

    public async Task<ArtifactInfo> GetFileAsync(string key, string destinationPath, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        string destination = Path.GetFullPath(destinationPath);
        string folder = Path.GetDirectoryName(destination)!;
        Directory.CreateDirectory(folder);
        string temporary = Path.Combine(folder, $".{Path.GetFileName(destination)}.{Guid.NewGuid():N}.tmp");
        try
        {
            ArtifactInfo info;
            await using (var sink = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16,
                             FileOptions.Asynchronous))
            {
                info = await Translate(blob, () => ReadVerifiedAsync(key, blob, sink, cancellation));
            }
            File.Move(temporary, destination, overwrite: true);
            return info;
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public async Task<byte[]> GetBytesAsync(string key, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        using var sink = new MemoryStream();
        await Translate(blob, () => ReadVerifiedAsync(key, blob, sink, cancellation));
        return sink.ToArray();
    }

    public async Task<ArtifactInfo?> GetInfoAsync(string key, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        try
        {
            var properties = await Translate(blob, async () => (await blob.GetPropertiesAsync(cancellationToken: cancellation)).Value);
            return InfoOf(key, blob, properties.ContentLength, properties.Metadata, properties.LastModified);
        }
        catch (ArtifactNotFoundException)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<ArtifactInfo>> ListAsync(string prefix, CancellationToken cancellation = default)
    {
        ArtifactKeys.ValidatePrefix(prefix);
        var found = new List<ArtifactInfo>();
        try
        {
            await Translate(container.GetBlobClient(prefix.Length == 0 ? "_" : prefix), async () =>
            {
                var options = new GetBlobsOptions { Traits = BlobTraits.Metadata, Prefix = prefix.Length == 0 ? null : prefix };
                await foreach (var item in container.GetBlobsAsync(options, cancellation))
                {
                    var blob = container.GetBlobClient(item.Name);
                    found.Add(InfoOf(item.Name, blob, item.Properties.ContentLength ?? 0, item.Metadata,
                        item.Properties.LastModified ?? DateTimeOffset.MinValue));
                }
                return 0;
            });
        }
        catch (ArtifactNotFoundException)
        {
            // No container yet: nothing stored.
        }
        return found;
    }

    public async Task DeleteAsync(string key, CancellationToken cancellation = default)
    {
        var blob = BlobOf(key);
        try
        {
            await Translate(blob, () => blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: cancellation));
        }
        catch (ArtifactNotFoundException)
        {
            // The container is missing, so is the blob.
        }
    }

    private BlockBlobClient BlobOf(string key) => container.GetBlockBlobClient(ArtifactKeys.Validate(key));

    private async Task<ArtifactInfo> PutSingleAsync(string key, BlockBlobClient blob, ReadOnlyMemory<byte> content, CancellationToken cancellation)
    {
        await EnsureContainerAsync(cancellation);
        string sha256 = Sha256Hex.Of(content.Span);
        await using var stream = MemoryStreams.Over(content);
        var response = await blob.UploadAsync(stream, new BlobUploadOptions
        {
            Metadata = MetadataOf(sha256),
            TransferValidation = UploadValidation(),
        }, cancellation);
        BytesStaged?.Invoke(content.Length);
        return new ArtifactInfo(key, blob.Uri.AbsoluteUri, content.Length, sha256, response.Value.LastModified);
    }

    /// <summary>Reads the source in order (hashing as it goes) and stages each block while the next ones are read;
    /// the blob changes only when the block list commits.</summary>
    private async Task<ArtifactInfo> PutInBlocksAsync(string key, BlockBlobClient blob, Stream source, CancellationToken cancellation)
    {
        await EnsureContainerAsync(cancellation);
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var slots = new SemaphoreSlim(transfer.MaxConcurrency);
        // Ids unique to this upload, all the same length (the service requires it): concurrent writers of one key
        // never commit each other's blocks.
        string uploadId = Guid.NewGuid().ToString("N");
        var blockIds = new List<string>();
        var staging = new List<Task>();
        long staged = 0, total = 0;
        try
        {
            while (true)
            {
                await slots.WaitAsync(failFast.Token);
                byte[] buffer = ArrayPool<byte>.Shared.Rent(transfer.BlockBytes);
                int length = await ReadBlockAsync(source, buffer.AsMemory(0, transfer.BlockBytes), failFast.Token);
                if (length == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    slots.Release();
                    break;
                }
                hash.AppendData(buffer, 0, length);
                total += length;
                string id = Convert.ToBase64String(Encoding.ASCII.GetBytes($"{uploadId}-{blockIds.Count:D6}"));
                blockIds.Add(id);
                staging.Add(StageAsync(id, buffer, length));
            }
            await Task.WhenAll(staging);
        }
        catch (Exception error)
        {
            await failFast.CancelAsync();
            await Task.WhenAll(staging.Select(task => task.ContinueWith(_ => { }, TaskScheduler.Default)));
            // A failed block cancels the reading loop: report the block's failure, not that cancellation.
            if (error is OperationCanceledException && !cancellation.IsCancellationRequested
                && staging.FirstOrDefault(task => task.IsFaulted)?.Exception?.InnerException is { } cause)
                ExceptionDispatchInfo.Throw(cause);
            throw;
        }
        string sha256 = Sha256Hex.Finish(hash);
        cancellation.ThrowIfCancellationRequested();
        var response = await blob.CommitBlockListAsync(blockIds, new CommitBlockListOptions { Metadata = MetadataOf(sha256) }, cancellation);
        return new ArtifactInfo(key, blob.Uri.AbsoluteUri, total, sha256, response.Value.LastModified);

        async Task StageAsync(string id, byte[] buffer, int length)
        {
            try
            {
                await using var block = new MemoryStream(buffer, 0, length, writable: false);
                await blob.StageBlockAsync(id, block, new BlockBlobStageBlockOptions { TransferValidation = UploadValidation() }, failFast.Token);
                BytesStaged?.Invoke(Interlocked.Add(ref staged, length));
            }
            catch
            {
                await failFast.CancelAsync();
                throw;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
                slots.Release();
            }
        }
    }

    /// <summary>Downloads ranges in parallel against one ETag, hashing and writing them in order; starts over when the
    /// blob is overwritten mid-read (412), so the bytes always belong to one version.</summary>
    private async Task<ArtifactInfo> ReadVerifiedAsync(string key, BlockBlobClient blob, Stream sink, CancellationToken cancellation)
    {
        for (int attempt = 1; ; attempt++)
        {
            BlobProperties properties = (await blob.GetPropertiesAsync(cancellationToken: cancellation)).Value;
            var info = InfoOf(key, blob, properties.ContentLength, properties.Metadata, properties.LastModified);
            sink.SetLength(0);
            sink.Position = 0;
            try
            {
                string actual = await DownloadHashingAsync(blob, properties.ETag, properties.ContentLength, sink, cancellation);
                if (actual != info.Sha256) throw new ArtifactCorruptException(info.Uri, info.Sha256, actual);
                await sink.FlushAsync(cancellation);
                return info;
            }
            catch (RequestFailedException error) when (error.Status == (int)HttpStatusCode.PreconditionFailed && attempt < ReadAttempts)
            {
                // Overwritten while reading: read the new version.
            }
        }
    }

    private async Task<string> DownloadHashingAsync(BlockBlobClient blob, ETag etag, long length, Stream sink, CancellationToken cancellation)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var failFast = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        long rangeBytes = transfer.DownloadRangeBytes;
        int ranges = (int)((length + rangeBytes - 1) / rangeBytes);
        var pending = new Queue<Task<(byte[] Buffer, int Length)>>();
        int next = 0;
        try
        {
            void Refill()
            {
                while (next < ranges && pending.Count < transfer.MaxConcurrency)
                {
                    long offset = next++ * rangeBytes;
                    pending.Enqueue(DownloadRangeAsync(blob, etag, offset, (int)Math.Min(rangeBytes, length - offset), failFast.Token));
                }
            }

            Refill();
            for (int index = 0; index < ranges; index++)
            {
                var (buffer, count) = await pending.Dequeue();
                // The next range starts downloading before this one is hashed and written.
                Refill();
                try
                {
                    hash.AppendData(buffer, 0, count);
                    await sink.WriteAsync(buffer.AsMemory(0, count), cancellation);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch
        {
            await failFast.CancelAsync();
            while (pending.Count > 0)
            {
                try { ArrayPool<byte>.Shared.Return((await pending.Dequeue()).Buffer); }
                catch (Exception) { /* the first failure is the one reported */ }
            }
            throw;
        }
        return Sha256Hex.Finish(hash);
    }

    private static async Task<(byte[] Buffer, int Length)> DownloadRangeAsync(BlockBlobClient blob, ETag etag, long offset, int count,
        CancellationToken cancellation)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(count);
        try
        {
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions
            {
                Range = new HttpRange(offset, count),
                Conditions = new BlobRequestConditions { IfMatch = etag },
                TransferValidation = new DownloadTransferValidationOptions
                {
                    ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
                    AutoValidateChecksum = true,
                },
            }, cancellation);
            await using var content = response.Value.Content;
            await content.ReadExactlyAsync(buffer.AsMemory(0, count), cancellation);
            return (buffer, count);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    private async Task EnsureContainerAsync(CancellationToken cancellation)
    {
        if (containerReady) return;
        await container.CreateIfNotExistsAsync(cancellationToken: cancellation);
        containerReady = true;
    }

    private static async Task<int> ReadBlockAsync(Stream source, Memory<byte> block, CancellationToken cancellation)
    {
        int filled = 0;
        while (filled < block.Length)
        {
            int read = await source.ReadAsync(block[filled..], cancellation);
            if (read == 0) break;
            filled += read;
        }
        return filled;
    }

    private static ArtifactInfo InfoOf(string key, BlobBaseClient blob, long length, IDictionary<string, string>? metadata, DateTimeOffset modified)
    {
        string uri = blob.Uri.AbsoluteUri;
        if (metadata is null || !metadata.TryGetValue(Sha256MetadataKey, out var sha256) || sha256.Length != 64)
            throw new ArtifactCorruptException(uri, "(none recorded)", "(not checked)");
        return new ArtifactInfo(key, uri, length, sha256, modified);
    }

    private static Dictionary<string, string> MetadataOf(string sha256) => new() { [Sha256MetadataKey] = sha256 };

    private static UploadTransferValidationOptions UploadValidation() => new() { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 };

    /// <summary>Maps the SDK's failures onto the store's: missing blob or container → not found; no connection,
    /// refused credentials → unavailable (one line naming the container).</summary>
    private async Task<T> Translate<T>(BlobBaseClient blob, Func<Task<T>> operation)
    {
        try
        {
            return await operation();
        }
        catch (RequestFailedException error) when (error.Status == (int)HttpStatusCode.NotFound)
        {
            throw new ArtifactNotFoundException(blob.Uri.AbsoluteUri);
        }
        catch (RequestFailedException error) when (error.Status is 0 or (int)HttpStatusCode.Forbidden or (int)HttpStatusCode.Unauthorized)
        {
            throw new ArtifactStoreUnavailableException(Location, Reason(error), error);
        }
        catch (Exception error) when (error is AggregateException or HttpRequestException)
        {
            throw new ArtifactStoreUnavailableException(Location, Reason(error), error);
        }
    }

    /// <summary>One line: the innermost cause (a refused connection, an error code), not the SDK's multi-line dump.</summary>
    private static string Reason(Exception error)
    {
        while (true)
        {
            switch (error)
            {
                case AggregateException { InnerExceptions.Count: > 0 } aggregate:
                    error = aggregate.InnerExceptions[^1];
                    continue;
                case RequestFailedException { Status: > 0 } failed:
                    return $"{failed.Status} {failed.ErrorCode ?? "error"}";
                case { InnerException: { } inner }:
                    error = inner;
                    continue;
                default:
                    return error.Message.ReplaceLineEndings(" ").Trim();
            }
        }
    }

    private static BlobServiceClient CreateService(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        try
        {
            return new BlobServiceClient(connectionString, ClientOptions());
        }
        catch (Exception error) when (error is FormatException or ArgumentException or InvalidOperationException)
        {
            // The SDK's message may quote the string, and with it the account key.
            throw new ArgumentException("artifact store 'azure': the connection string is not a valid Azure Storage connection string");
        }
    }
}
