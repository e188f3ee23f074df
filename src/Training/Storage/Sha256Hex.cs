using System.Security.Cryptography;

namespace Cluster.Training.Storage;

/// <summary>SHA-256 as the lower-case hex that <see cref="ArtifactInfo.Sha256"/> carries.</summary>
internal static class Sha256Hex
{
    public static string Of(ReadOnlySpan<byte> content) => Convert.ToHexStringLower(SHA256.HashData(content));

    public static string Finish(IncrementalHash hash) => Convert.ToHexStringLower(hash.GetHashAndReset());

    public static async Task<string> OfFileAsync(string path, CancellationToken cancellation)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan | FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellation));
    }
}
