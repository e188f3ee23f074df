using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// <see cref="IProcessGroup"/> over a ring of point-to-point messages (<see cref="RingAllReduce"/>), for CPU workers.
/// <para>Reductions are bucketed like PyTorch DDP: the tensors, in reverse order (gradients become ready from the
/// last layer back), are packed into flat float32 buckets of at most bucket_size_mb (a larger tensor gets a bucket of
/// its own). Each bucket goes on the wire as soon as it is packed, so packing bucket k+1 overlaps the all-reduce of
/// bucket k, and bucket k is copied back while later ones are still in flight. TorchSharp 0.107 has no tensor
/// gradient hooks, so buckets cannot start during backward itself. Bucket buffers are kept across calls; the ring
/// reads and writes them in place (<see cref="PinnedFloatBuffer"/>: managed memory the tensors share, so a transport
/// sends from it without a copy). Reductions run in float32.</para>
/// </summary>
public sealed class RingProcessGroup : IProcessGroup
{
    private readonly RingAllReduce ring;
    private readonly long bucketElements;
    private readonly List<PinnedFloatBuffer> buckets = [];
    // The few tensor lists a run reduces over and over (gradients, the loss, buffers), most recent first.
    private readonly List<BucketPlan> plans = [];
    private const int PlansKept = 4;

    /// <param name="transportName">How the ranks are connected, for <see cref="Describe"/> (e.g. "Orleans").</param>
    public RingProcessGroup(IPeerTransport transport, DistributedConfig config, string transportName = "peer transport")
    {
        ring = new RingAllReduce(transport, config.ChunkBytes, config.Timeout);
        bucketElements = Math.Max(1, config.BucketBytes / sizeof(float));
        Describe = $"ring all-reduce over {transportName}, {transport.WorldSize} ranks, rank {transport.Rank}, " +
                   $"{config.BucketSizeMb:0.###} MiB buckets, {config.ChunkSizeMb:0.###} MiB messages, " +
                   $"{config.CollectiveTimeout:0.#} s timeout";
    }

    public int Rank => ring.Rank;
    public int WorldSize => ring.WorldSize;
    public string Describe { get; }

    public void AllReduceMean(IReadOnlyList<Tensor> tensors) => AllReduce(tensors, average: true);

    public void AllReduceSum(IReadOnlyList<Tensor> tensors) => AllReduce(tensors, average: false);

    public byte[][] AllGather(byte[] local) => ring.GatherAsync(local).GetAwaiter().GetResult();

    private void AllReduce(IReadOnlyList<Tensor> tensors, bool average)
    {
        if (WorldSize == 1 || tensors.Count == 0)
            return;
        var layout = PlanFor(tensors);
        using var noGrad = torch.no_grad();
        // Held to the end of the call: an implicit int → Scalar conversion may be finalized during the native call.
        using var worldSize = WorldSize.ToScalar();
        var inFlight = new Task[layout.Buckets.Count];
        for (int k = 0; k < layout.Buckets.Count; k++)
        {
            var buffer = Bucket(k, layout.Buckets[k].Elements);
            var bucket = buffer.Tensor;
            using (NewDisposeScope())
            {
                foreach (var entry in layout.Buckets[k].Entries)
                {
                    bucket.narrow(0, entry.Offset, entry.Elements).copy_(tensors[entry.Index].reshape(-1));
                }
            }
            inFlight[k] = ring.SumAsync(buffer.Memory[..(int)(layout.Buckets[k].Elements * sizeof(float))]);
        }
        try
        {
            for (int k = 0; k < layout.Buckets.Count; k++)
            {
                inFlight[k].GetAwaiter().GetResult();
                var bucket = buckets[k].Tensor;
                using (NewDisposeScope())
                {
                    if (average)
                        bucket.narrow(0, 0, layout.Buckets[k].Elements).div_(worldSize);
                    foreach (var entry in layout.Buckets[k].Entries)
                    {
                        var tensor = tensors[entry.Index];
                        tensor.copy_(bucket.narrow(0, entry.Offset, entry.Elements).view(tensor.shape));
                    }
                }
            }
        }
        catch
        {
            // The other buckets still read and write their buffers: let them end before anyone reuses them.
            try { Task.WaitAll(inFlight); } catch (AggregateException) { }
            throw;
        }
    }

    private PinnedFloatBuffer Bucket(int index, long elements)
    {
        if (index < buckets.Count && buckets[index].Elements >= elements)
            return buckets[index];
        // Kept across calls and outside any DisposeScope: a collective called inside a caller's scope (a training
        // step, a SyncBatchNorm forward) must not leave the scope owning the buffer.
        var buffer = new PinnedFloatBuffer(Math.Max(elements, bucketElements));
        if (index < buckets.Count)
        {
            ((IDisposable)buckets[index]).Dispose();
            buckets[index] = buffer;
        }
        else
        {
            buckets.Add(buffer);
        }
        return buffer;
    }

    private BucketPlan PlanFor(IReadOnlyList<Tensor> tensors)
    {
        int found = plans.FindIndex(plan => plan.Matches(tensors));
        var plan = found >= 0 ? plans[found] : BucketPlan.Create(tensors, bucketElements);
        if (found != 0)
        {
            if (found > 0)
                plans.RemoveAt(found);
            plans.Insert(0, plan);
            if (plans.Count > PlansKept)
                plans.RemoveAt(PlansKept);
        }
        return plan;
    }

    public void Dispose()
    {
        foreach (IDisposable buffer in buckets)
            buffer.Dispose();
        buckets.Clear();
    }

    private sealed record BucketEntry(int Index, long Offset, long Elements);

    private sealed record BucketLayout(List<BucketEntry> Entries, long Elements);

    /// <summary>Which tensor goes where in which bucket, for one list of tensor sizes (kept while they repeat).</summary>
    private sealed class BucketPlan
    {
        private readonly long[] sizes;

        private BucketPlan(long[] sizes, List<BucketLayout> buckets)
        {
            this.sizes = sizes;
            Buckets = buckets;
        }

        public List<BucketLayout> Buckets { get; }

        public bool Matches(IReadOnlyList<Tensor> tensors)
        {
            if (tensors.Count != sizes.Length)
                return false;
            for (int i = 0; i < sizes.Length; i++)
                if (tensors[i].numel() != sizes[i])
                    return false;
            return true;
        }

        public static BucketPlan Create(IReadOnlyList<Tensor> tensors, long bucketElements)
        {
            var sizes = tensors.Select(tensor => tensor.numel()).ToArray();
            var buckets = new List<BucketLayout>();
            var entries = new List<BucketEntry>();
            long used = 0;
            for (int i = sizes.Length - 1; i >= 0; i--)
            {
                if (used > 0 && used + sizes[i] > bucketElements)
                {
                    buckets.Add(new BucketLayout(entries, used));
                    entries = [];
                    used = 0;
                }
                entries.Add(new BucketEntry(i, used, sizes[i]));
                used += sizes[i];
            }
            if (used > 0)
                buckets.Add(new BucketLayout(entries, used));
            return new BucketPlan(sizes, buckets);
        }
    }
}
