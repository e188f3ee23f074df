using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;

namespace Cluster.Training.Models.Backbones;

/// <summary>Two 3×3 convs with a residual connection; torchvision's parameter names.</summary>
public sealed class BasicBlock : ResidualBlock
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;

    public BasicBlock(long inplanes, long planes, long stride, long dilation, Sequential? downsample)
        : base(nameof(BasicBlock), downsample)
    {
        conv1 = nn.Conv2d(inplanes, planes, 3, stride: stride, padding: dilation, dilation: dilation, bias: false);
        bn1 = new BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: 1, padding: 1, bias: false);
        bn2 = new BatchNorm2d(planes);
        RegisterComponents();
    }

    protected override Tensor Residual(Tensor x)
    {
        var output = relu.forward(bn1.forward(conv1.forward(x)));
        return bn2.forward(conv2.forward(output));
    }
}
