using System.Diagnostics;
using System.Runtime.InteropServices;
using Cluster.Abstractions.Collectives;
using Cluster.Training.Distributed;
using TorchSharp;

namespace Cluster.Grains.Collectives;

/// <summary>
/// One rank of an all-reduce benchmark (nccl-tests' all_reduce_perf, for our backends): for each size, warm-up
/// all-reduces, then timed ones of a float32 buffer in which rank r holds r + 1 everywhere, refilled before each and
/// started together after a tiny all-reduce as a barrier (fill and barrier are not timed); the last result is compared with the exact sum N(N+1)/2. The ring runs straight on a byte
/// buffer (no bucket copies); another backend (NCCL) runs on a tensor of the slot's device through its process group.
/// </summary>
internal static class AllReduceBenchmark
{
    /// <summary>Runs <paramref name="spec"/> on a dedicated thread (never on a grain turn) and returns its timings.</summary>
    public static Task<AllReduceBenchmarkResult> RunOnThreadAsync(AllReduceBenchmarkSpec spec, ProcessGroupFactory groups, string device)
    {
        var done = new TaskCompletionSource<AllReduceBenchmarkResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try { done.SetResult(Run(spec, groups, device)); }
            catch (Exception error) { done.SetException(error); }
        }) { IsBackground = true, Name = $"allreduce-bench-{spec.GroupId}-rank{spec.Rank}" };
        thread.Start();
        return done.Task;
    }

    public static void Validate(AllReduceBenchmarkSpec spec, string workerKey)
    {
        if (spec.Peers.Count < 2)
            throw new ArgumentException($"an all-reduce benchmark needs at least 2 workers, got {spec.Peers.Count}");
        if (spec.Rank < 0 || spec.Rank >= spec.Peers.Count || spec.Peers[spec.Rank] != workerKey)
            throw new ArgumentException($"worker {workerKey} is not rank {spec.Rank} of the benchmark's peers");
        if (spec.SizesBytes.Count == 0 || spec.SizesBytes.Any(size => size < sizeof(float) || size > Array.MaxLength))
            throw new ArgumentException($"benchmark sizes must be between {sizeof(float)} bytes and 2 GiB, got [{string.Join(", ", spec.SizesBytes)}]");
        if (spec.Iterations < 1 || spec.Warmup < 0)
            throw new ArgumentException($"a benchmark needs at least 1 iteration and no negative warm-up, got {spec.Iterations} and {spec.Warmup}");
        if (!(spec.TimeoutSeconds > 0) || spec.ChunkSizeMiB < 0)
            throw new ArgumentException($"benchmark timeout {spec.TimeoutSeconds} s or chunk size {spec.ChunkSizeMiB} MiB is out of range");
        if (!Enum.TryParse<DistributedBackend>(spec.Backend, ignoreCase: true, out _))
            throw new ArgumentException($"benchmark backend '{spec.Backend}' is not auto, ring or nccl");
    }

    private static AllReduceBenchmarkResult Run(AllReduceBenchmarkSpec spec, ProcessGroupFactory groups, string device)
    {
        var group = new GroupMembership(spec.GroupId, spec.Generation, spec.Rank, spec.Peers);
        var defaults = new DistributedConfig();
        var config = new DistributedConfig
        {
            Backend = Enum.Parse<DistributedBackend>(spec.Backend, ignoreCase: true),
            ChunkSizeMb = spec.ChunkSizeMiB > 0 ? spec.ChunkSizeMiB : defaults.ChunkSizeMb,
            CollectiveTimeout = spec.TimeoutSeconds,
        };
        float expected = spec.Peers.Count * (spec.Peers.Count + 1) / 2f;
        float own = spec.Rank + 1;
        if (groups.Resolve(config.Backend, spec.Peers) == DistributedBackend.Ring)
        {
            using var transport = groups.Transport(group, config, CancellationToken.None);
            var ring = new RingAllReduce(transport, config.ChunkBytes, config.Timeout);
            var token = new byte[sizeof(float)];
            var timings = spec.SizesBytes.Select(size =>
            {
                var buffer = GC.AllocateUninitializedArray<byte>((int)(size / sizeof(float) * sizeof(float)));
                return Measure(spec, buffer.Length,
                    fill: () => MemoryMarshal.Cast<byte, float>(buffer.AsSpan()).Fill(own),
                    reduce: () => ring.SumAsync(buffer).GetAwaiter().GetResult(),
                    barrier: () => ring.SumAsync(token).GetAwaiter().GetResult(),
                    check: () => !MemoryMarshal.Cast<byte, float>(buffer.AsSpan()).ContainsAnyExcept(expected));
            }).ToList();
            return new AllReduceBenchmarkResult(spec.Rank,
                $"ring all-reduce over Orleans, {spec.Peers.Count} ranks, {config.ChunkSizeMb:0.###} MiB messages", timings);
        }
        using var processGroup = groups.Create(group, config, device, CancellationToken.None);
        using var flag = torch.zeros(1, torch.float32, torch.device(device));
        bool cuda = device.StartsWith("cuda", StringComparison.OrdinalIgnoreCase);
        using var ownValue = own.ToScalar();
        using var expectedValue = expected.ToScalar();
        var results = spec.SizesBytes.Select(size =>
        {
            using var tensor = torch.empty(size / sizeof(float), torch.float32, torch.device(device));
            return Measure(spec, size / sizeof(float) * sizeof(float),
                fill: () => tensor.fill_(ownValue),
                reduce: () =>
                {
                    processGroup.AllReduceSum([tensor]);
                    if (cuda) torch.cuda.synchronize(torch.device(device));
                },
                barrier: () => processGroup.AllReduceSum([flag]),
                check: () => tensor.eq(expectedValue).all().item<bool>());
        }).ToList();
        return new AllReduceBenchmarkResult(spec.Rank, processGroup.Describe, results);
    }

    /// <param name="barrier">A tiny all-reduce before each timed one, so no rank starts its clock while a peer still fills.</param>
    private static AllReduceTiming Measure(AllReduceBenchmarkSpec spec, long bytes, Action fill, Action reduce, Action barrier, Func<bool> check)
    {
        for (int i = 0; i < spec.Warmup; i++)
        {
            fill();
            reduce();
        }
        double total = 0, fastest = double.MaxValue;
        for (int i = 0; i < spec.Iterations; i++)
        {
            fill();
            barrier();
            long started = Stopwatch.GetTimestamp();
            reduce();
            double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            total += seconds;
            fastest = Math.Min(fastest, seconds);
        }
        return new AllReduceTiming(bytes, total / spec.Iterations, fastest, check());
    }
}
