namespace Cluster.Training.Storage;

/// <summary>How <see cref="AzureBlobArtifactStore"/> splits transfers. Uploads up to <see cref="SingleUploadMaxBytes"/>
/// go in one request; larger ones are staged as <see cref="BlockBytes"/> blocks, <see cref="MaxConcurrency"/> in flight,
/// then committed in one block list. Downloads read <see cref="DownloadRangeBytes"/> ranges in parallel (at most 4 MiB:
/// the service computes range MD5s only up to that size).</summary>
public sealed record AzureBlobTransferOptions
{
    public const int MaxMd5RangeBytes = 4 << 20;

    public int BlockBytes { get; init; } = 8 << 20;
    public int SingleUploadMaxBytes { get; init; } = 8 << 20;
    public int DownloadRangeBytes { get; init; } = MaxMd5RangeBytes;
    public int MaxConcurrency { get; init; } = 4;

    internal void Validate()
    {
        if (BlockBytes < 1 || SingleUploadMaxBytes < 0 || MaxConcurrency < 1)
            throw new ArgumentException("block size and concurrency must be positive");
        if (DownloadRangeBytes is < 1 or > MaxMd5RangeBytes)
            throw new ArgumentException($"download ranges must be 1..{MaxMd5RangeBytes} bytes, got {DownloadRangeBytes}");
    }
}
