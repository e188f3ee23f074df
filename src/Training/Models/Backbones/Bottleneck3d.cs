using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>
/// MMAction2's Bottleneck3d. Inflated with style 3x1x1: conv1 (3,1,1) pad (1,0,0), conv2 (1,3,3); with 3x3x3: conv1
/// 1×1×1, conv2 (3,3,3); not inflated: conv1 1×1×1, conv2 (1,3,3). conv3 expands the channels ×4.
/// </summary>
public sealed class Bottleneck3d : ResidualBlock, IResidualBlock3d
{
    private readonly ConvModule conv1;
    private readonly ConvModule conv2;
    private readonly ConvModule conv3;

    public Bottleneck3d(long inplanes, long planes, Block3dSettings s, ConvModule? downsample)
        : base(nameof(Bottleneck3d), downsample)
    {
        var pytorchStyle = s.Style == ResNetStyle.Pytorch;
        var (t1, s1) = pytorchStyle ? (1L, 1L) : (s.TemporalStride, s.SpatialStride);
        var (t2, s2) = pytorchStyle ? (s.TemporalStride, s.SpatialStride) : (1L, 1L);
        var temporalFirst = s.Inflate && s.InflateStyle == "3x1x1";
        var temporalSecond = s.Inflate && !temporalFirst;
        conv1 = new ConvModule(inplanes, planes, (temporalFirst ? 3 : 1, 1, 1), (t1, s1, s1),
            (temporalFirst ? 1 : 0, 0, 0), (1, 1, 1), withActivation: true);
        conv2 = new ConvModule(planes, planes, (temporalSecond ? 3 : 1, 3, 3), (t2, s2, s2),
            (temporalSecond ? 1 : 0, s.Dilation, s.Dilation), (1, s.Dilation, s.Dilation), withActivation: true);
        conv3 = new ConvModule(planes, planes * 4, (1, 1, 1), (1, 1, 1), (0, 0, 0), (1, 1, 1), withActivation: false);
        RegisterComponents();
    }

    public ConvModule LastConv => conv3;

    protected override Tensor Residual(Tensor x) => conv3.forward(conv2.forward(conv1.forward(x)));
}
