using Cluster.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Providers;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Cluster.Silo.Storage;

internal static class GrainStorageRegistration
{
    /// <summary>
    /// State is written with Orleans' own serializer (the one that ships grain calls), so every
    /// <c>[GenerateSerializer]</c> record round-trips, versioned by its field ids.
    /// </summary>
    public static IGrainStorageSerializer Serializer(Serializer serializer) => new OrleansGrainStorageSerializer(serializer);

    public static void AddFileGrainStorage(this IServiceCollection services, string root)
    {
        services.AddGrainStorage(GrainStorageNames.Cluster, (sp, _) =>
            new FileGrainStorage(root, Serializer(sp.GetRequiredService<Serializer>()), sp.GetRequiredService<IActivatorProvider>()));
        services.AddDefaultAlias();
    }

    /// <summary>The default storage is the cluster's: grains that name no storage use the same one.</summary>
    public static void AddDefaultAlias(this IServiceCollection services) =>
        services.AddKeyedSingleton<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME,
            (sp, _) => sp.GetRequiredKeyedService<IGrainStorage>(GrainStorageNames.Cluster));
}
