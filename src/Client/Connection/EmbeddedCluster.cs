using Microsoft.Extensions.Hosting;

namespace Cluster.Client.Connection;

/// <summary>The in-process silo a command starts when no cluster is configured, so one command runs a whole job.</summary>
internal static class EmbeddedCluster
{
    public static IHost Build(string directory) =>
        throw new ClusterUnreachableException($"cannot start an embedded silo in {directory}: this build has no silo host yet");
}
