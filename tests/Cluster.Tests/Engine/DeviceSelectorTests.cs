using Cluster.Training.Engine;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Engine;

public class DeviceSelectorTests
{
    [Fact]
    public void AutoPicksCudaOnlyWhenAvailable() =>
        Assert.Equal(cuda.is_available() ? DeviceType.CUDA : DeviceType.CPU, DeviceSelector.Resolve("auto").type);

    [Fact]
    public void CpuIsCpu() => Assert.Equal(DeviceType.CPU, DeviceSelector.Resolve("cpu").type);

    [Theory]
    [InlineData("gpu")]
    [InlineData("cuda:x")]
    public void UnknownSettingIsNamed(string setting)
    {
        var error = Assert.Throws<ArgumentException>(() => DeviceSelector.Resolve(setting));
        Assert.Contains($"'{setting}'", error.Message);
    }
}
