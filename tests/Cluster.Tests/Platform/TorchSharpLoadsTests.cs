using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Platform;

// Guards the GLIBCXX_3.4.32 weakening done by Directory.Build.targets: without it the native library fails to load
// on Debian 12 and every torch call throws TypeInitializationException.
public class TorchSharpLoadsTests
{
    [Fact]
    public void Conv3dForwardAndBackwardRunOnCpu()
    {
        using var conv = nn.Conv3d(3, 4, 3, padding: 1);
        using var x = randn(new long[] { 2, 3, 4, 8, 8 }, requires_grad: true);
        using var y = conv.forward(x);
        using var loss = y.square().mean();
        loss.backward();
        Assert.Equal(new long[] { 2, 4, 4, 8, 8 }, y.shape);
        Assert.NotNull(x.grad);
        Assert.True(x.grad!.abs().sum().item<float>() > 0);
    }
}
