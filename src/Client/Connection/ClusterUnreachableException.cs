namespace Cluster.Client.Connection;

/// <summary>The client could not connect to the cluster it was pointed at (a user error: exit 2).</summary>
internal sealed class ClusterUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
