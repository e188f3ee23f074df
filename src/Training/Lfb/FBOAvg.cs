using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>MMAction2's FBOAvg: the mean over all W·K long-term slots, zero padding included.</summary>
public sealed class FBOAvg(int ltChannels) : FeatureBankOperator(nameof(FBOAvg))
{
    public override int OutChannels => ltChannels;

    public override Tensor forward(Tensor stFeat, Tensor ltFeat) => ltFeat.mean([2], keepdim: true);
}
