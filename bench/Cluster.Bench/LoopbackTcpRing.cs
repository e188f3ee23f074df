using System.Diagnostics;

namespace Cluster.Bench;

/// <summary>
/// Raw loopback TCP carrying the same bytes over the same links as a ring all-reduce of N ranks: N connections
/// (rank r → rank r + 1), all moving at once, each carrying what one rank sends in the all-reduce, 2(N−1)/N of the
/// buffer. Throughput per link = those bytes / the time until the last link is done, which is what bus bandwidth
/// measures on the all-reduce side. On a machine whose cores carry every link's kernel copies, N busy links share
/// them: one connection alone (<see cref="LoopbackTcp"/>) is the bound for one link, this is the bound for N.
/// Each link's sender and receiver run on their own threads, so no link waits for a thread-pool thread.
/// </summary>
public sealed class LoopbackTcpRing : IDisposable
{
    private readonly LoopbackTcp[] links;

    public LoopbackTcpRing(int ranks)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ranks, 2);
        links = Enumerable.Range(0, ranks).Select(_ => new LoopbackTcp()).ToArray();
    }

    public static long BytesPerLink(long bufferBytes, int ranks) => bufferBytes * 2 * (ranks - 1) / ranks;

    /// <summary>Bytes per second per link for one transfer of <paramref name="bytesPerLink"/> on every link at once.</summary>
    public double Transfer(int bytesPerLink)
    {
        foreach (var link in links) link.Prepare(bytesPerLink);
        using var start = new Barrier(2 * links.Length + 1);
        var threads = links.SelectMany(link => new[]
        {
            Started(start, () => link.Receive(bytesPerLink), "loopback-tcp-ring-receiver"),
            Started(start, () => link.Send(bytesPerLink), "loopback-tcp-ring-sender"),
        }).ToList();
        start.SignalAndWait();
        var clock = Stopwatch.StartNew();
        foreach (var thread in threads) thread.Join();
        return bytesPerLink / clock.Elapsed.TotalSeconds;
    }

    private static Thread Started(Barrier start, Action work, string name)
    {
        var thread = new Thread(() =>
        {
            start.SignalAndWait();
            work();
        }) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }

    /// <summary>Bytes per second per link over <paramref name="transfers"/> back-to-back transfers.</summary>
    public double MeanThroughput(int bytesPerLink, int transfers) =>
        LoopbackTcp.MeanThroughput(bytesPerLink, transfers, Transfer);

    public void Dispose()
    {
        foreach (var link in links) link.Dispose();
    }
}
