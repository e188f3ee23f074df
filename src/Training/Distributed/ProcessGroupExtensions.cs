using System.Security.Cryptography;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>What a data-parallel run does with any <see cref="IProcessGroup"/> besides averaging gradients.</summary>
public static class ProcessGroupExtensions
{
    /// <summary>
    /// Overwrites every rank's tensors with rank 0's (so all replicas start from the same weights). Float32 tensors:
    /// the other ranks zero theirs and all sum, which is exact; other types (e.g. int64 num_batches_tracked) go
    /// through an all-gather of rank 0's bytes.
    /// </summary>
    public static void BroadcastFromRankZero(this IProcessGroup group, IReadOnlyList<Tensor> tensors)
    {
        if (group.WorldSize == 1)
            return;
        using var noGrad = torch.no_grad();
        var floats = tensors.Where(tensor => tensor.dtype == ScalarType.Float32).ToList();
        if (group.Rank != 0)
            floats.ForEach(tensor => tensor.zero_());
        group.AllReduceSum(floats);
        foreach (var tensor in tensors.Where(tensor => tensor.dtype != ScalarType.Float32))
        {
            using var cpu = tensor.cpu().contiguous();
            var fromRankZero = group.AllGather(group.Rank == 0 ? cpu.bytes.ToArray() : [])[0];
            if (group.Rank != 0)
            {
                cpu.bytes = fromRankZero;
                tensor.copy_(cpu);
            }
        }
    }

    /// <summary>
    /// Averages the floating-point tensors across ranks (MMEngine's SyncBuffersHook: BatchNorm running statistics);
    /// integer tensors such as num_batches_tracked stay as they are.
    /// </summary>
    public static void AverageFloatingPoint(this IProcessGroup group, IEnumerable<Tensor> tensors)
    {
        if (group.WorldSize == 1)
            return;
        using var noGrad = torch.no_grad();
        group.AllReduceMean(tensors.Where(tensor => tensor.is_floating_point()).ToList());
    }

    /// <summary>
    /// Compares a SHA-256 of <paramref name="parameters"/> across ranks; throws on any mismatch.
    /// </summary>
    /// <exception cref="ReplicaDivergedException">The replicas' parameters differ.</exception>
    public static void VerifyReplicas(this IProcessGroup group, IEnumerable<Tensor> parameters, int epoch)
    {
        if (group.WorldSize == 1)
            return;
        var hashes = group.AllGather(HashOf(parameters));
        if (hashes.Any(hash => !hash.AsSpan().SequenceEqual(hashes[0])))
            throw new ReplicaDivergedException(epoch, hashes.Select(hash => Convert.ToHexString(hash)[..16].ToLowerInvariant()).ToList());
    }

    /// <summary>SHA-256 over the raw bytes of the tensors, in order.</summary>
    public static byte[] HashOf(IEnumerable<Tensor> tensors)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var tensor in tensors)
        {
            using var cpu = tensor.detach().cpu().contiguous();
            hash.AppendData(cpu.bytes);
        }
        return hash.GetHashAndReset();
    }
}
