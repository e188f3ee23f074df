using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>MMAction2's BasicBlock3d: two (1|3)×3×3 ConvModules with a residual connection.</summary>
public sealed class BasicBlock3d : ResidualBlock, IResidualBlock3d
{
    private readonly ConvModule conv1;
    private readonly ConvModule conv2;

    public BasicBlock3d(long inplanes, long planes, Block3dSettings s, ConvModule? downsample)
        : base(nameof(BasicBlock3d), downsample)
    {
        var kernelT = s.Inflate ? 3L : 1L;
        var padT = s.Inflate ? 1L : 0L;
        conv1 = new ConvModule(inplanes, planes, (kernelT, 3, 3), (s.TemporalStride, s.SpatialStride, s.SpatialStride),
            (padT, s.Dilation, s.Dilation), (1, s.Dilation, s.Dilation), withActivation: true);
        conv2 = new ConvModule(planes, planes, (kernelT, 3, 3), (1, 1, 1), (padT, 1, 1), (1, 1, 1),
            withActivation: false);
        RegisterComponents();
    }

    public ConvModule LastConv => conv2;

    protected override Tensor Residual(Tensor x) => conv2.forward(conv1.forward(x));
}
