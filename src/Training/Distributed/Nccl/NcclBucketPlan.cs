namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// Which tensors go into which grouped NCCL call (one <c>ncclGroupStart</c>/<c>ncclGroupEnd</c> each): consecutive
/// tensors, in the order given, until the next one would take a bucket past the size; a tensor larger than a bucket
/// gets one alone. Every rank plans from the same sizes, so every rank issues the same calls in the same order.
/// Empty tensors are left out (nothing to reduce).
/// </summary>
public static class NcclBucketPlan
{
    public static IReadOnlyList<IReadOnlyList<int>> Plan(IReadOnlyList<long> tensorBytes, long bucketBytes)
    {
        if (bucketBytes <= 0) throw new ArgumentOutOfRangeException(nameof(bucketBytes), bucketBytes, "a bucket holds at least one byte");
        var buckets = new List<IReadOnlyList<int>>();
        var current = new List<int>();
        long filled = 0;
        for (int i = 0; i < tensorBytes.Count; i++)
        {
            long size = tensorBytes[i];
            if (size < 0) throw new ArgumentOutOfRangeException(nameof(tensorBytes), size, $"tensor {i} has a negative size");
            if (size == 0) continue;
            if (current.Count > 0 && filled + size > bucketBytes)
            {
                buckets.Add(current);
                current = [];
                filled = 0;
            }
            current.Add(i);
            filled += size;
        }
        if (current.Count > 0) buckets.Add(current);
        return buckets;
    }
}
