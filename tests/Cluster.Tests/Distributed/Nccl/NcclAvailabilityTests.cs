using System.Runtime.InteropServices;
using Cluster.Training.Distributed.Nccl;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed.Nccl;

/// <summary>Without libnccl.so.2 (as on this CPU-only machine) NCCL fails with a sentence when used, not at startup.</summary>
public class NcclAvailabilityTests
{
    private static readonly bool NcclLoadable = NativeLibrary.TryLoad("libnccl.so.2", out _);

    [Fact]
    public void AvailabilityFollowsWhetherTheLibraryLoads()
    {
        Assert.Equal(NcclLoadable, NcclLibrary.IsAvailable);
        if (NcclLoadable) Assert.Null(NcclLibrary.UnavailableReason);
        else
        {
            Assert.StartsWith("NCCL (libnccl.so.2) is not available: cannot load libnccl.so.2: ", NcclLibrary.UnavailableReason);
            Assert.DoesNotContain('\n', NcclLibrary.UnavailableReason!);
        }
    }

    [Fact]
    public void UsingMissingNcclThrowsTheSameSentence()
    {
        if (NcclLoadable) return; // a machine with NCCL runs bench/device/nccl-check.sh instead
        var error = Assert.Throws<NcclUnavailableException>(() =>
            NcclProcessGroup.Create(0, 2, new byte[NcclUniqueId.Length], new Device(DeviceType.CUDA, 0)));
        Assert.Equal(NcclLibrary.UnavailableReason, error.Message);
        Assert.Throws<NcclUnavailableException>(NcclProcessGroup.CreateUniqueId);
    }

    [Fact]
    public void ALibraryWithoutNcclsExportsIsNamedWithWhatItLacks()
    {
        Assert.Null(NcclApi.TryLoad("libc.so.6", out var reason));
        Assert.StartsWith("libc.so.6 lacks ncclGetUniqueId, ncclCommInitRank, ncclAllReduce", reason);
    }

    [Fact]
    public void TheAutoBackendCanTellWhetherNcclCanRunHere()
    {
        Assert.False(NcclProcessGroup.CanRunOn(CPU, out var cpuReason));
        Assert.Equal("the nccl backend needs a CUDA device, got cpu", cpuReason);
        Assert.Equal(NcclLoadable, NcclProcessGroup.CanRunOn(new Device(DeviceType.CUDA, 0), out var cudaReason));
        Assert.Equal(NcclLibrary.UnavailableReason ?? "", cudaReason);
    }

    [Fact]
    public void CreateRefusesBadArgumentsBeforeTouchingNccl()
    {
        Assert.Equal("the nccl backend needs a CUDA device, got cpu (Parameter 'device')",
            Assert.Throws<ArgumentException>(() => NcclProcessGroup.Create(0, 2, new byte[128], CPU)).Message);
        Assert.Equal("the NCCL rendezvous id has 16 bytes instead of 128 (Parameter 'uniqueId')",
            Assert.Throws<ArgumentException>(() => NcclProcessGroup.Create(0, 2, new byte[16], new Device(DeviceType.CUDA, 0))).Message);
    }
}
