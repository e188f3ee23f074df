using Cluster.Silo.Devices;

namespace Cluster.Tests.Silo;

public class DeviceInventoryTests
{
    private sealed class FakeProbe(int cudaCount, long? cudaMemory = null) : IDeviceProbe
    {
        public int Probes { get; private set; }
        public int CudaDeviceCount() { Probes++; return cudaCount; }
        public long? CudaMemoryBytes(int index) => cudaMemory;
        public long HostMemoryBytes() => 64L << 30;
        public string HostName => "node-a";
    }

    [Fact]
    public void Without_cuda_offers_the_configured_cpu_slots_sharing_host_memory()
    {
        var slots = DeviceInventory.Detect("auto", 3, new FakeProbe(0));

        Assert.Equal(["cpu:0", "cpu:1", "cpu:2"], slots.Select(s => s.Device));
        Assert.All(slots, s => Assert.Equal("cpu", s.Kind));
        Assert.All(slots, s => Assert.Equal((64L << 30) / 3, s.MemoryBytes));
    }

    [Fact]
    public void With_cuda_offers_one_slot_per_device_with_its_memory_and_ignores_cpu_slots()
    {
        var slots = DeviceInventory.Detect("auto", 4, new FakeProbe(2, 80L << 30));

        Assert.Equal(["cuda:0", "cuda:1"], slots.Select(s => s.Device));
        Assert.All(slots, s => Assert.Equal("cuda", s.Kind));
        Assert.All(slots, s => Assert.Equal(80L << 30, s.MemoryBytes));
    }

    [Fact]
    public void Unknown_cuda_memory_falls_back_to_a_share_of_host_memory()
    {
        var slots = DeviceInventory.Detect("auto", 1, new FakeProbe(4));

        Assert.All(slots, s => Assert.Equal((64L << 30) / 4, s.MemoryBytes));
    }

    [Fact]
    public void Devices_cpu_forces_cpu_slots_without_probing_cuda()
    {
        var probe = new FakeProbe(2);

        var slots = DeviceInventory.Detect("CPU", 2, probe);

        Assert.Equal(["cpu:0", "cpu:1"], slots.Select(s => s.Device));
        Assert.Equal(0, probe.Probes);
    }
}
