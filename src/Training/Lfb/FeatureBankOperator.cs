using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// A feature bank operator (MMAction2's FBO): short-term RoI features [N, C, S, 1, 1] and the sampled long-term
/// features [N, C_lt, W·K, 1, 1] → [N, <see cref="OutChannels"/>, S, 1, 1], concatenated by FBOHead to the short-term one.
/// </summary>
public abstract class FeatureBankOperator(string name) : nn.Module<Tensor, Tensor, Tensor>(name)
{
    public abstract int OutChannels { get; }

    /// <summary>MMAction2's scratch init (<c>init_weights(pretrained=None)</c>); nothing for parameterless operators.</summary>
    public virtual void InitWeights()
    {
    }
}
