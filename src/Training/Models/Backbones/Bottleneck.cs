using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;

namespace Cluster.Training.Models.Backbones;

/// <summary>1×1 → 3×3 → 1×1 (×4 channels) residual block; torchvision's parameter names.</summary>
public sealed class Bottleneck : ResidualBlock
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Conv2d conv3;
    private readonly BatchNorm2d bn3;

    public Bottleneck(long inplanes, long planes, long stride, long dilation, ResNetStyle style, Sequential? downsample)
        : base(nameof(Bottleneck), downsample)
    {
        var (conv1Stride, conv2Stride) = style == ResNetStyle.Pytorch ? (1L, stride) : (stride, 1L);
        conv1 = nn.Conv2d(inplanes, planes, 1, stride: conv1Stride, bias: false);
        bn1 = new BatchNorm2d(planes);
        conv2 = nn.Conv2d(planes, planes, 3, stride: conv2Stride, padding: dilation, dilation: dilation, bias: false);
        bn2 = new BatchNorm2d(planes);
        conv3 = nn.Conv2d(planes, planes * 4, 1, bias: false);
        bn3 = new BatchNorm2d(planes * 4);
        RegisterComponents();
    }

    protected override Tensor Residual(Tensor x)
    {
        var output = relu.forward(bn1.forward(conv1.forward(x)));
        output = relu.forward(bn2.forward(conv2.forward(output)));
        return bn3.forward(conv3.forward(output));
    }
}
