using Cluster.Training.Models.Init;

namespace Cluster.Training.Models.Backbones;

/// <summary>A recogniser's <c>backbone</c> section; the concrete class is chosen by <c>type</c>.</summary>
public abstract class BackboneConfig
{
    /// <summary>MMEngine <c>init_cfg</c>; when absent the backbone's MMAction2 default init applies.</summary>
    public List<InitConfig>? InitCfg { get; init; }
}

/// <summary>Where a residual block puts its stride: on the 3×3 conv (pytorch) or on the first 1×1 conv (caffe).</summary>
public enum ResNetStyle { Pytorch, Caffe }
