using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cluster.Bench;

/// <summary>
/// The all-reduce benchmark's baseline: a plain TcpListener/TcpClient pair on loopback in this process, one connection
/// kept open (as Orleans keeps its silo-to-silo connections). A transfer sends the buffer in 1 MiB writes, the
/// receiver reads all of it into its own buffer and answers one byte; the time is from the first write to that
/// answer. Throughput = bytes / time: what the kernel's loopback moves between two sockets on this machine now.
/// </summary>
public sealed class LoopbackTcp : IDisposable
{
    private const int WriteSize = 1 << 20;
    private readonly TcpListener listener;
    private readonly TcpClient sender;
    private readonly TcpClient receiver;
    private byte[] payload = [];
    private byte[] landing = [];

    public LoopbackTcp()
    {
        listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        sender = new TcpClient { NoDelay = true };
        var accept = listener.AcceptTcpClientAsync();
        sender.Connect(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        receiver = accept.GetAwaiter().GetResult();
        receiver.NoDelay = true;
    }

    /// <summary>Bytes per second for one transfer of <paramref name="bytes"/> (the receiver on its own thread).</summary>
    public double Transfer(int bytes)
    {
        Prepare(bytes);
        var receive = new Thread(() => Receive(bytes)) { IsBackground = true, Name = "loopback-tcp-receiver" };
        receive.Start();
        var clock = Stopwatch.StartNew();
        Send(bytes);
        double seconds = clock.Elapsed.TotalSeconds;
        receive.Join();
        return bytes / seconds;
    }

    /// <summary>Makes the buffers of a transfer of <paramref name="bytes"/> (outside any timing; kept for the next).</summary>
    public void Prepare(int bytes)
    {
        if (payload.Length >= bytes) return;
        payload = new byte[bytes];
        Random.Shared.NextBytes(payload);
        landing = new byte[bytes];
    }

    /// <summary>Writes <paramref name="bytes"/> in 1 MiB writes and waits for the receiver's acknowledgement.</summary>
    public void Send(int bytes)
    {
        var output = sender.GetStream();
        for (int offset = 0; offset < bytes; offset += WriteSize)
            output.Write(payload, offset, Math.Min(WriteSize, bytes - offset));
        if (output.ReadByte() != 1) throw new IOException("loopback receiver did not acknowledge");
    }

    /// <summary>Reads <paramref name="bytes"/> and acknowledges them with one byte.</summary>
    public void Receive(int bytes)
    {
        var stream = receiver.GetStream();
        int read = 0;
        while (read < bytes)
        {
            int n = stream.Read(landing, read, bytes - read);
            if (n == 0) throw new IOException("loopback connection closed mid-transfer");
            read += n;
        }
        stream.WriteByte(1);
    }

    /// <summary>Bytes per second over <paramref name="transfers"/> back-to-back transfers (total bytes / total time),
    /// as the all-reduce side reports the mean of its iterations: one transfer alone is at the mercy of a busy core.</summary>
    public double MeanThroughput(int bytes, int transfers) => MeanThroughput(bytes, transfers, Transfer);

    /// <summary>Total bytes / total time of <paramref name="transfers"/> calls of <paramref name="transfer"/>, each
    /// returning bytes per second.</summary>
    internal static double MeanThroughput(int bytes, int transfers, Func<int, double> transfer)
    {
        double seconds = 0;
        for (int i = 0; i < transfers; i++) seconds += bytes / transfer(bytes);
        return (double)bytes * transfers / seconds;
    }

    public void Dispose()
    {
        sender.Dispose();
        receiver.Dispose();
        listener.Stop();
    }
}
