using Cluster.Abstractions.Lfb;
using Cluster.Training.Lfb;
using Cluster.Training.Storage;

namespace Cluster.Grains.Lfb;

/// <summary>
/// Merges a split's stored parts into its bank blob: downloads each part (its bytes checked against the SHA-256 the
/// shard grain recorded), merges them (a (video, second) in two parts is an error naming it), writes the bank in the
/// split's dtype and uploads it atomically. Runs on a thread-pool task, never in a grain turn; repeating it after a
/// crash rewrites the same bytes.
/// </summary>
public static class BankMerge
{
    public static async Task<BankBlob> MergeAsync(IArtifactStore store, IReadOnlyList<BankPart> parts, string key, string dtype,
        string scratch, CancellationToken cancellation = default)
    {
        var format = FeatureBankDtypes.Parse(dtype);
        string folder = Path.Combine(scratch, Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            var banks = new List<FeatureBank>(parts.Count);
            for (int i = 0; i < parts.Count; i++)
            {
                var blob = parts[i].Blob;
                string local = Path.Combine(folder, $"part{i}.bank");
                var info = await store.GetFileAsync(blob.Key, local, cancellation);
                if (!string.Equals(info.Sha256, blob.Sha256, StringComparison.OrdinalIgnoreCase))
                    throw new ArtifactCorruptException(blob.Uri, blob.Sha256, info.Sha256);
                banks.Add(FeatureBankFile.Load(local));
                File.Delete(local);
            }
            string merged = Path.Combine(folder, Path.GetFileName(key));
            // A shard whose keyframes had no person box stores an empty part, whose channels say nothing.
            var filled = banks.Where(b => b.PersonCount > 0).ToList();
            FeatureBankFile.Save(FeatureBank.Merge(filled.Count > 0 ? filled : [banks[0]]), merged, format);
            var stored = await store.PutFileAsync(key, merged, cancellation);
            return new BankBlob(stored.Key, stored.Uri, stored.Bytes, stored.Sha256);
        }
        finally
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
