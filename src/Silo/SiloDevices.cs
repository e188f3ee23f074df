using Cluster.Silo.Devices;

namespace Cluster.Silo;

/// <summary>The compute slots this silo offers (resolved from DI: <c>GetRequiredService&lt;SiloDevices&gt;()</c>).</summary>
public sealed record SiloDevices(IReadOnlyList<DeviceSlot> Slots);
