namespace Cluster.Grains.Registry;

public sealed class ClusterRegistryOptions
{
    /// <summary>A silo not re-registered for this long counts as dead even if membership still lists it.</summary>
    public TimeSpan SiloTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
