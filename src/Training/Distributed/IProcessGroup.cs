using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// The collectives a data-parallel run needs, called from its (dedicated) training thread; every rank of the group
/// makes the same calls in the same order. Failures that a re-formed group can recover from (a peer that died or hung,
/// a stale generation) throw <see cref="GroupFaultException"/>.
/// </summary>
public interface IProcessGroup : IDisposable
{
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>A one-line description for the run log, e.g. "ring all-reduce over Orleans, 3 ranks, 25 MiB buckets".</summary>
    string Describe { get; }

    /// <summary>Sums each tensor over all ranks in place, then divides by <see cref="WorldSize"/> (gradient averaging).</summary>
    void AllReduceMean(IReadOnlyList<Tensor> tensors);

    /// <summary>Sums each tensor over all ranks in place (SyncBN statistics).</summary>
    void AllReduceSum(IReadOnlyList<Tensor> tensors);

    /// <summary>Every rank's bytes, indexed by rank (replica hashes, small agreements).</summary>
    byte[][] AllGather(byte[] local);
}
