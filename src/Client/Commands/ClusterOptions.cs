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

    /// <summary>
    /// Sets the action of a command that talks to the cluster: Ctrl+C cancels the token, the connection opens from
    /// <paramref name="gateway"/>, and a failure is one line on <paramref name="error"/> (with <paramref name="json"/> set,
    /// also the final JSON line on <paramref name="output"/>).
    /// </summary>
    public static void SetClusterAction(this Command command, Option<string?> gateway, TextWriter error,
        Func<ParseResult, ClusterConnection, CancellationToken, Task<int>> body, Option<bool>? json = null, TextWriter? output = null) =>
        command.SetAction(parse => CommandErrors.Run(error, async () =>
        {
            using var cancellation = new CtrlC();
            await using var connection = await Connect(parse, gateway, cancellation.Token);
            return await body(parse, connection, cancellation.Token);
        }, json is not null && parse.GetValue(json) ? output : null));

    /// <summary>The line a submitting command logs first when it runs on the embedded silo (nothing on a real cluster).</summary>
    public static void LogIfEmbedded(ClusterConnection connection, TextWriter log)
    {
        if (connection.Target is ClusterTarget.Embedded embedded)
            log.WriteLine($"cluster: embedded silo (state and artifacts in {embedded.Directory})");
    }
}
