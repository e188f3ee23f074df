using System.Net;
using System.Net.Sockets;

namespace Cluster.Silo.Hosting;

internal static class FreePort
{
    /// <summary><paramref name="port"/>, or one the OS reports free when it is 0 (Orleans needs the real port up front:
    /// it advertises it in the membership table).</summary>
    public static int Resolve(int port)
    {
        if (port != 0) return port;
        using var listener = new TcpListener(IPAddress.Any, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
