using Cluster.Training.Distributed;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed;

/// <summary>
/// A test-only process group whose ranks are threads of this process: each collective deposits every rank's data,
/// meets at a barrier, and every rank combines the deposits in rank order (so all ranks get bit-identical results).
/// </summary>
internal sealed class ThreadProcessGroup(ThreadProcessGroup.Exchange exchange, int rank) : IProcessGroup
{
    public int Rank { get; } = rank;
    public int WorldSize => exchange.WorldSize;
    public string Describe => $"threads, {WorldSize} ranks";

    /// <summary>How many collectives this rank has made.</summary>
    public int Calls { get; private set; }

    /// <summary>Called before each collective with its 1-based number; throw to simulate a broken group.</summary>
    public Action<int>? BeforeCall { get; set; }

    public static ThreadProcessGroup[] Create(int worldSize)
    {
        var exchange = new Exchange(worldSize);
        return [.. Enumerable.Range(0, worldSize).Select(r => new ThreadProcessGroup(exchange, r))];
    }

    public void AllReduceSum(IReadOnlyList<Tensor> tensors)
    {
        Calls++;
        BeforeCall?.Invoke(Calls);
        var mine = tensors.Select(t => t.detach().cpu().clone()).ToArray();
        var all = exchange.Swap(Rank, mine);
        using var _ = no_grad();
        for (int i = 0; i < tensors.Count; i++)
        {
            var sum = all[0][i].clone();
            for (int r = 1; r < WorldSize; r++) sum.add_(all[r][i]);
            tensors[i].copy_(sum);
        }
        exchange.Done();
    }

    public void AllReduceMean(IReadOnlyList<Tensor> tensors)
    {
        AllReduceSum(tensors);
        using var _ = no_grad();
        foreach (var t in tensors) t.div_(WorldSize);
    }

    public byte[][] AllGather(byte[] local)
    {
        Calls++;
        BeforeCall?.Invoke(Calls);
        var all = exchange.Swap(Rank, local);
        var result = all.Select(b => b.ToArray()).ToArray();
        exchange.Done();
        return result;
    }

    public void Dispose()
    {
    }

    internal sealed class Exchange(int worldSize)
    {
        private readonly Barrier deposited = new(worldSize);
        private readonly Barrier read = new(worldSize);
        private readonly object?[] slots = new object?[worldSize];

        public int WorldSize { get; } = worldSize;

        public T[] Swap<T>(int rank, T mine)
        {
            slots[rank] = mine;
            if (!deposited.SignalAndWait(TimeSpan.FromSeconds(30)))
                throw new TimeoutException("a test rank did not reach the collective");
            return [.. slots.Cast<T>()];
        }

        public void Done()
        {
            if (!read.SignalAndWait(TimeSpan.FromSeconds(30)))
                throw new TimeoutException("a test rank did not finish the collective");
        }
    }

    /// <summary>Runs <paramref name="body"/> once per rank, each on its own thread, and rethrows the first failure.</summary>
    public static void RunRanks(int worldSize, Action<int> body)
    {
        var failures = new Exception?[worldSize];
        var threads = Enumerable.Range(0, worldSize).Select(r => new Thread(() =>
        {
            try
            {
                body(r);
            }
            catch (Exception error)
            {
                failures[r] = error;
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        if (failures.FirstOrDefault(f => f is not null) is { } failure)
            throw new AggregateException($"rank {Array.IndexOf(failures, failure)} failed", failure);
    }
}
