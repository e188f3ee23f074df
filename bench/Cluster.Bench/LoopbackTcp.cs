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

    /// <summary>Bytes per second for one transfer of <paramref name="bytes"/>.</summary>
    public double Transfer(int bytes)
    {
        var payload = new byte[bytes];
        Random.Shared.NextBytes(payload);
        var landing = new byte[bytes];
        var receive = Task.Run(() =>
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
        });
        var clock = Stopwatch.StartNew();
        var output = sender.GetStream();
        for (int offset = 0; offset < bytes; offset += WriteSize)
            output.Write(payload, offset, Math.Min(WriteSize, bytes - offset));
        if (output.ReadByte() != 1) throw new IOException("loopback receiver did not acknowledge");
        double seconds = clock.Elapsed.TotalSeconds;
        receive.GetAwaiter().GetResult();
        return bytes / seconds;
    }

    public void Dispose()
    {
        sender.Dispose();
        receiver.Dispose();
        listener.Stop();
    }
}
