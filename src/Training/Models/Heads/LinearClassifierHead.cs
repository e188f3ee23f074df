using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Heads;

/// <summary>
/// The classifier end that MMAction2's TSNHead and I3DHead share: optional dropout, then <c>fc_cls</c> over the
/// flattened pooled features, initialised with normal(std=init_std).
/// </summary>
[CodeSharingBase]
public abstract class LinearClassifierHead : BaseHead
{
    // Protected rather than private: RegisterComponents only sees the non-private fields of base classes.
    protected readonly Dropout? dropout;
    protected readonly Linear fc_cls;
    private readonly double initStd;

    protected LinearClassifierHead(string name, HeadConfig config, string? spatialType, double dropoutRatio,
        double initStd, string keyPath) : base(name, config, keyPath)
    {
        ValidateSpatialType(spatialType, keyPath);
        dropout = DropoutOrNone(dropoutRatio);
        fc_cls = nn.Linear(config.InChannels, config.NumClasses);
        this.initStd = initStd;
    }

    protected override nn.Module Classifier => fc_cls;
    protected override double InitStd => initStd;

    /// <summary>Pooled features [B, C, ...] → dropout → fc_cls → [B, K].</summary>
    protected Tensor Classify(Tensor pooled)
    {
        var x = dropout is null ? pooled : dropout.forward(pooled);
        return fc_cls.forward(x.reshape(x.shape[0], -1));
    }
}
