using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>MMAction2's TSNHead over [N·S, C, H, W] backbone features.</summary>
public sealed class TSNHead : LinearClassifierHead
{
    private readonly AdaptiveAvgPool2d? avg_pool;
    private readonly long consensusDim;

    public TSNHead(TSNHeadConfig config, string keyPath = "cls_head")
        : base(nameof(TSNHead), config, config.SpatialType, config.DropoutRatio, config.InitStd, keyPath)
    {
        consensusDim = config.Consensus switch
        {
            AvgConsensusConfig avg => avg.Dim,
            _ => throw new ArgumentException($"{keyPath}.consensus: only AvgConsensus is supported"),
        };
        avg_pool = config.SpatialType == "avg" ? nn.AdaptiveAvgPool2d(1) : null;
        RegisterComponents();
    }

    /// <summary>[N·S, C, H, W] → pool → [N, S, C, ...] → mean over segments → dropout → fc_cls → [N, K].</summary>
    public override Tensor forward(Tensor features, long numSegments)
    {
        using var scope = NewDisposeScope();
        var x = avg_pool is null ? features : avg_pool.forward(features);
        x = x.reshape([-1, numSegments, .. x.shape[1..]]);
        x = x.mean([consensusDim], keepdim: true).squeeze(1);
        return Classify(x).MoveToOuterDisposeScope();
    }
}
