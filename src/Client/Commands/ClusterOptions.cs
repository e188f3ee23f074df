using System.CommandLine;
using Cluster.Client.Connection;

namespace Cluster.Client.Commands;

/// <summary>Options and helpers of the commands that talk to the cluster.</summary>
internal static class ClusterOptions
{
    public static Option<string?> Gateway() => new("--gateway")
    {
        Description = $"Cluster gateway host:port, or several comma-separated (else ${ClusterTarget.GatewayVariable}, or ${ClusterTarget.RedisVariable} + " +
                      $"${ClusterTarget.ClusterIdVariable}; with none, an embedded silo with its state in ./{ClusterTarget.EmbeddedFolder} " +
                      $"or ${ClusterTarget.HomeVariable})",
    };

    public static Argument<string> ExperimentId() => new("id") { Description = "Experiment id (as train printed it, or from cluster list)" };

    public static Task<ClusterConnection> Connect(ParseResult parse, Option<string?> gateway, CancellationToken cancellation) =>
        ClusterConnection.Open(
            ClusterTarget.Resolve(parse.GetValue(gateway), Environment.GetEnvironmentVariable, Directory.GetCurrentDirectory()),
            cancellation);
}
