using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// mmcv's ConvModule as NonLocalLayer builds it (Conv3d, no norm, no activation): a 1×1×1 Conv3d with bias, held as
/// <c>conv</c> so the parameters are named <c>…st_feat_conv.conv.weight</c> as in MMAction2 checkpoints.
/// </summary>
internal sealed class PointwiseConv : nn.Module<Tensor, Tensor>
{
    private static readonly KaimingInitConfig Kaiming = new();
    private readonly Conv3d conv;

    public PointwiseConv(long inChannels, long outChannels) : base(nameof(PointwiseConv))
    {
        conv = NewConv3d(inChannels, outChannels);
        RegisterComponents();
    }

    public Conv3d Conv => conv;

    public override Tensor forward(Tensor x) => conv.forward(x);

    public static Conv3d NewConv3d(long inChannels, long outChannels) => nn.Conv3d(inChannels, outChannels, 1, bias: true);

    /// <summary>mmcv's <c>kaiming_init</c>: normal, fan_out, relu gain; bias 0.</summary>
    public static void KaimingInit(nn.Module conv) => ModuleInitializers.Apply(conv, Kaiming);
}
