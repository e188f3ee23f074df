using Cluster.Abstractions.Workers;
using Cluster.Silo;
using Cluster.Silo.Devices;
using Cluster.Silo.Registration;
using Orleans.Runtime;

namespace Cluster.Tests.Silo;

public class SiloRegistrationTests
{
    private sealed class Details : ILocalSiloDetails
    {
        public string Name => "node-a";
        public string ClusterId => "cluster";
        public string DnsHostName => "node-a.local";
        public SiloAddress SiloAddress { get; } = SiloAddress.FromParsableString("10.0.0.7:11111@123456");
        public SiloAddress GatewayAddress { get; } = SiloAddress.FromParsableString("10.0.0.7:30000@123456");
    }

    [Fact]
    public void Each_slot_is_announced_under_a_worker_key_that_pins_it_to_this_silo_process()
    {
        DeviceSlot[] slots = [new("cuda:0", "cuda", "CUDA device 0", 80L << 30), new("cuda:1", "cuda", "CUDA device 1", 80L << 30)];

        var registration = SiloRegistrar.Describe(new ClusterSiloOptions(), slots, new Details());

        Assert.Equal(("node-a", "10.0.0.7:11111@123456", "node-a.local"), (registration.Name, registration.Address, registration.HostName));
        Assert.Equal(["10.0.0.7:11111@123456/cuda:0", "10.0.0.7:11111@123456/cuda:1"], registration.Slots.Select(s => s.WorkerKey));
        Assert.All(registration.Slots, s => Assert.Equal(("10.0.0.7:11111@123456", s.Device), WorkerKey.Parse(s.WorkerKey)));
        Assert.All(registration.Slots, s => Assert.Equal(("10.0.0.7:11111@123456", "node-a", "cuda", 80L << 30), (s.SiloAddress, s.SiloName, s.Kind, s.MemoryBytes)));
    }
}
