using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>MMAction2's FBOMax: the maximum over all W·K long-term slots, zero padding included.</summary>
public sealed class FBOMax(int ltChannels) : FeatureBankOperator(nameof(FBOMax))
{
    public override int OutChannels => ltChannels;

    public override Tensor forward(Tensor stFeat, Tensor ltFeat) => ltFeat.amax([2], keepdim: true);
}
