using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>MMAction2's BasicBlock3d: two (1|3)×3×3 ConvModules with a residual connection.</summary>
public sealed class BasicBlock3d : nn.Module<Tensor, Tensor>, IResidualBlock3d
{
    private readonly ConvModule conv1;
    private readonly ConvModule conv2;
    private readonly ConvModule? downsample;
    private readonly TorchSharp.Modules.ReLU relu;

    public BasicBlock3d(long inplanes, long planes, Block3dSettings s, ConvModule? downsample)
        : base(nameof(BasicBlock3d))
    {
        var kernelT = s.Inflate ? 3L : 1L;
        var padT = s.Inflate ? 1L : 0L;
        conv1 = new ConvModule(inplanes, planes, (kernelT, 3, 3), (s.TemporalStride, s.SpatialStride, s.SpatialStride),
            (padT, s.Dilation, s.Dilation), (1, s.Dilation, s.Dilation), withActivation: true);
        conv2 = new ConvModule(planes, planes, (kernelT, 3, 3), (1, 1, 1), (padT, 1, 1), (1, 1, 1),
            withActivation: false);
        this.downsample = downsample;
        relu = nn.ReLU(inplace: true);
        RegisterComponents();
    }

    public ConvModule LastConv => conv2;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var identity = downsample is null ? x : downsample.forward(x);
        var output = conv2.forward(conv1.forward(x));
        return relu.forward(output.add_(identity)).MoveToOuterDisposeScope();
    }
}
