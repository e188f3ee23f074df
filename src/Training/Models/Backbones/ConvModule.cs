using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm3d = Cluster.Training.Models.Layers.BatchNorm3d;

namespace Cluster.Training.Models.Backbones;

/// <summary>MMCV's ConvModule for 3D: Conv3d (no bias) → BatchNorm3d → optional ReLU, named conv / bn / activate.</summary>
public sealed class ConvModule : nn.Module<Tensor, Tensor>
{
    private readonly Conv3d conv;
    private readonly BatchNorm3d bn;
    private readonly ReLU? activate;

    public ConvModule(long inChannels, long outChannels, (long, long, long) kernel, (long, long, long) stride,
        (long, long, long) padding, (long, long, long) dilation, bool withActivation) : base(nameof(ConvModule))
    {
        conv = nn.Conv3d(inChannels, outChannels, kernel, stride: stride, padding: padding, dilation: dilation,
            bias: false);
        bn = new BatchNorm3d(outChannels);
        activate = withActivation ? nn.ReLU(inplace: true) : null;
        RegisterComponents();
    }

    public BatchNorm3d Norm => bn;

    public override Tensor forward(Tensor x)
    {
        var output = bn.forward(conv.forward(x));
        return activate is null ? output : activate.forward(output);
    }
}
