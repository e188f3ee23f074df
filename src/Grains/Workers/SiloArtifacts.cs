using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Workers;

/// <summary>
/// The silo's <see cref="ArtifactLocator"/>: blob URIs of its artifact store (checkpoints, banks) are downloaded once
/// into one cache under the slots' scratch folder, whichever grain asks.
/// </summary>
internal static class SiloArtifacts
{
    public static ArtifactLocator Locator(IArtifactStore store, string scratchPath) =>
        new(store, Path.Combine(scratchPath, "artifact-cache"));

    /// <summary>Null on a silo without an artifact store (test hosts of grains that need none).</summary>
    public static ArtifactLocator? Locator(IServiceProvider services) =>
        services.GetService<IArtifactStore>() is { } store
            ? Locator(store, (services.GetService<IOptions<WorkerOptions>>()?.Value ?? new WorkerOptions()).ScratchPath)
            : null;
}
