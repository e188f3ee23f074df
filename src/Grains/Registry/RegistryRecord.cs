using Cluster.Abstractions.Registry;

namespace Cluster.Grains.Registry;

/// <summary>The registry's persisted state: silos (re-announced every few seconds), leases and the experiment index.</summary>
[GenerateSerializer]
public sealed class RegistryRecord
{
    /// <summary>By silo address.</summary>
    [Id(0)] public Dictionary<string, SiloEntry> Silos { get; set; } = [];
    /// <summary>Worker key → experiment id.</summary>
    [Id(1)] public Dictionary<string, string> Leases { get; set; } = [];
    /// <summary>By experiment id.</summary>
    [Id(2)] public Dictionary<string, ExperimentSummary> Experiments { get; set; } = [];
}

[GenerateSerializer, Immutable]
public sealed record SiloEntry(
    [property: Id(0)] SiloRegistration Registration,
    [property: Id(1)] DateTimeOffset LastSeen);
