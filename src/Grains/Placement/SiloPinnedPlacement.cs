using Orleans.Placement;

namespace Cluster.Grains.Placement;

/// <summary>
/// Activates a grain only on the silo its key names (<see cref="Cluster.Abstractions.Workers.WorkerKey"/>): a compute
/// slot's grain must run where its device is, and must never come back on another silo after that silo dies.
/// </summary>
[Serializable, GenerateSerializer, Immutable, SuppressReferenceTracking]
public sealed class SiloPinnedPlacement : PlacementStrategy
{
    internal static SiloPinnedPlacement Singleton { get; } = new();
}

[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloPinnedPlacementAttribute() : PlacementAttribute(SiloPinnedPlacement.Singleton);
