using Cluster.Silo;
using Cluster.Training.Storage;

namespace Cluster.Client.Commands;

/// <summary>
/// A checkpoint named on the command line: a local path as it is, a blob URI of the cluster's artifact store (as
/// <c>cluster status</c> prints them) downloaded and hash-checked into a local cache first. The store is the one the
/// silos use (<c>Cluster:Storage</c> from appsettings.json or <c>Cluster__Storage__*</c> variables).
/// </summary>
internal static class CheckpointReference
{
    /// <param name="what">Names the reference in errors (<c>--checkpoint</c>, <c>bank</c>).</param>
    public static string Resolve(string reference, string what = "--checkpoint")
    {
        if (!ArtifactLocator.IsBlobUri(reference)) return reference;
        var storage = ClusterConfiguration.Load().ResolvedStorage();
        if (!storage.Kind.Trim().Equals(ArtifactStoreOptions.AzureKind, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"{what} '{reference}' is a blob URI, but no blob artifact store is configured " +
                                        $"(Cluster__Storage__Kind=azure and Cluster__Storage__ConnectionString)");
        var store = ArtifactStoreFactory.CreateReachableAsync(storage).GetAwaiter().GetResult();
        var cache = Path.Combine(Path.GetTempPath(), "cluster-checkpoints");
        return new ArtifactLocator(store, cache).ResolveAsync(reference).GetAwaiter().GetResult();
    }
}
