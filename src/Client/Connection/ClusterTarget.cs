using System.Net;
using System.Net.Sockets;

namespace Cluster.Client.Connection;

/// <summary>
/// Which cluster a command talks to: <c>--gateway host:port</c>, else the configured one (<c>CLUSTER_GATEWAY</c>, or
/// <c>CLUSTER_REDIS</c> + <c>CLUSTER_ID</c> for gateway discovery through Redis membership), else an embedded silo.
/// </summary>
internal abstract record ClusterTarget
{
    public const string GatewayVariable = "CLUSTER_GATEWAY";
    public const string RedisVariable = "CLUSTER_REDIS";
    public const string ClusterIdVariable = "CLUSTER_ID";
    /// <summary>Overrides where the embedded silo keeps its state (default <c>./.cluster</c>).</summary>
    public const string HomeVariable = "CLUSTER_HOME";
    /// <summary>The embedded silo keeps grain state and artifacts here, below the working directory.</summary>
    public const string EmbeddedFolder = ".cluster";

    /// <summary>One or more gateways (<c>host:port,host:port</c>): the client fails over among them.</summary>
    public sealed record Gateway(string Text, IReadOnlyList<IPEndPoint> EndPoints) : ClusterTarget
    {
        public override string ToString() => $"the cluster gateway at {Text}";
    }

    public sealed record Redis(string ConnectionString, string ClusterId) : ClusterTarget
    {
        public override string ToString() => $"cluster '{ClusterId}' through Redis at {ConnectionString}";
    }

    public sealed record Embedded(string Directory) : ClusterTarget
    {
        public override string ToString() => $"the embedded silo in {Directory}";
    }

    public static ClusterTarget Resolve(string? gatewayOption, Func<string, string?> environment, string workingDirectory)
    {
        if (!string.IsNullOrWhiteSpace(gatewayOption)) return ParseGateway(gatewayOption, "--gateway");
        if (environment(GatewayVariable) is { Length: > 0 } gateway) return ParseGateway(gateway, GatewayVariable);
        if (environment(RedisVariable) is { Length: > 0 } redis)
        {
            var clusterId = environment(ClusterIdVariable);
            if (string.IsNullOrWhiteSpace(clusterId))
                throw new ArgumentException($"{RedisVariable} is set but {ClusterIdVariable} is not: name the cluster to join");
            return new Redis(redis, clusterId);
        }
        return new Embedded(Path.GetFullPath(environment(HomeVariable) is { Length: > 0 } home
            ? Path.Combine(workingDirectory, home)
            : Path.Combine(workingDirectory, EmbeddedFolder)));
    }

    /// <summary><c>host:port[,host:port...]</c>; a host name is resolved to its first IPv4 (else any) address.</summary>
    internal static Gateway ParseGateway(string text, string source) =>
        new(text, text.Split(',', StringSplitOptions.TrimEntries).Select(part => ParseEndPoint(part, text, source)).ToList());

    private static IPEndPoint ParseEndPoint(string part, string text, string source)
    {
        int colon = part.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(part[(colon + 1)..], out int port) || port is < 1 or > 65535)
            throw new ArgumentException($"{source} '{text}': expected host:port (or several, comma-separated)");
        var host = part[..colon].Trim('[', ']');
        if (IPAddress.TryParse(host, out var address)) return new IPEndPoint(address, port);
        try
        {
            var addresses = Dns.GetHostAddresses(host);
            var chosen = addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
            if (chosen is null) throw new ClusterUnreachableException($"cannot reach the cluster gateway at {text}: host '{host}' has no address");
            return new IPEndPoint(chosen, port);
        }
        catch (SocketException e)
        {
            throw new ClusterUnreachableException($"cannot reach the cluster gateway at {text}: {e.Message}");
        }
    }
}
