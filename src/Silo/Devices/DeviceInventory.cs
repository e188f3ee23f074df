namespace Cluster.Silo.Devices;

/// <summary>
/// The compute slots a silo offers: one per CUDA device when there are any (unless forced to CPU), else
/// <c>CpuSlots</c> CPU slots <c>cpu:0</c>, <c>cpu:1</c>, ... Memory is the device's when known, else an even share of
/// host memory.
/// </summary>
public static class DeviceInventory
{
    public static IReadOnlyList<DeviceSlot> Detect(string devices, int cpuSlots, IDeviceProbe probe)
    {
        var forceCpu = devices.Trim().Equals("cpu", StringComparison.OrdinalIgnoreCase);
        var cudaCount = forceCpu ? 0 : probe.CudaDeviceCount();
        if (cudaCount > 0)
        {
            var hostShare = probe.HostMemoryBytes() / cudaCount;
            return Enumerable.Range(0, cudaCount)
                .Select(i => new DeviceSlot($"cuda:{i}", "cuda", $"CUDA device {i}", probe.CudaMemoryBytes(i) ?? hostShare))
                .ToList();
        }
        var share = probe.HostMemoryBytes() / cpuSlots;
        return Enumerable.Range(0, cpuSlots)
            .Select(i => new DeviceSlot($"cpu:{i}", "cpu", $"CPU slot {i} of {probe.HostName}", share))
            .ToList();
    }
}
