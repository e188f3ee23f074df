namespace Cluster.Grains.Workers;

internal static class DeviceNames
{
    /// <summary>A slot's device (<c>cpu:0</c>, <c>cuda:1</c>) as the engine takes it: CPU slots all train on "cpu".</summary>
    public static string EngineDevice(string slotDevice) =>
        slotDevice.StartsWith("cpu", StringComparison.OrdinalIgnoreCase) ? "cpu" : slotDevice;
}
