using Cluster.Training.Configs;
using Cluster.Training.Models.Backbones;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// MMAction2's spatio-temporal action detector (MMDetection's FastRCNN with a 3D backbone and an AVA RoI head): the
/// RoIs come with the batch (person proposals or ground-truth boxes), so there is no RPN.
/// </summary>
[ConfigType("FastRCNN")]
public sealed class FastRCNNConfig : ModelConfig
{
    /// <summary>MMEngine's registry scope (<c>mmdet</c> in MMAction2's configs); accepted and ignored.</summary>
    [ConfigKey("_scope_")]
    public string? Scope { get; init; }
    public BackboneConfig? Backbone { get; init; }
    public AVARoIHeadConfig? RoiHead { get; init; }
    /// <summary>The assigner/sampler settings; the dataset assigns labels to RoIs (see the AVA dataset), so kept raw.</summary>
    public Dictionary<string, object?>? TrainCfg { get; init; }
    public DetectorTestConfig TestCfg { get; init; } = new();
}

/// <summary><c>model.test_cfg</c> of a detector.</summary>
public sealed class DetectorTestConfig
{
    public RcnnTestConfig? Rcnn { get; init; }
}

/// <summary><c>model.test_cfg.rcnn</c>: a class is detected for a RoI when its sigmoid score is above
/// <see cref="ActionThr"/> (MMAction2's bbox2result).</summary>
public sealed class RcnnTestConfig
{
    public double ActionThr { get; init; } = 0.002;
}

/// <summary>MMAction2's AVARoIHead: RoI extractor → optional shared head → bbox head.</summary>
[ConfigType("AVARoIHead")]
public sealed class AVARoIHeadConfig
{
    public SingleRoIExtractor3DConfig BboxRoiExtractor { get; init; } = new();
    public SharedHeadConfig? SharedHead { get; init; }
    public BBoxHeadAVAConfig BboxHead { get; init; } = new();
    public Dictionary<string, object?>? TrainCfg { get; init; }
    public Dictionary<string, object?>? TestCfg { get; init; }
}

/// <summary>
/// MMAction2's SingleRoIExtractor3D: optional temporal pooling of the feature map, then RoIAlign of every time step.
/// </summary>
[ConfigType("SingleRoIExtractor3D")]
public sealed class SingleRoIExtractor3DConfig
{
    /// <summary>Only RoIAlign.</summary>
    public string RoiLayerType { get; init; } = "RoIAlign";
    /// <summary>Input pixels per feature pixel; RoIAlign's spatial_scale is its inverse.</summary>
    public int FeatmapStride { get; init; } = 16;
    /// <summary>One size (square) or [height, width].</summary>
    public object OutputSize { get; init; } = 16L;
    /// <summary>Samples per bin and axis; 0 = adaptive (ceil(RoI size / output size)).</summary>
    public int SamplingRatio { get; init; }
    /// <summary>Only avg (MMCV's RoIAlign pool_mode).</summary>
    public string PoolMode { get; init; } = "avg";
    public bool Aligned { get; init; } = true;
    public bool WithTemporalPool { get; init; } = true;
    /// <summary>avg or max over time, when <see cref="WithTemporalPool"/>.</summary>
    public string TemporalPoolMode { get; init; } = "avg";
    /// <summary>Only false (the whole-frame context feature is not supported).</summary>
    public bool WithGlobal { get; init; }
}

/// <summary>MMAction2's BBoxHeadAVA: temporal and spatial pooling, dropout, <c>fc_cls</c>; multi-label sigmoid.</summary>
[ConfigType("BBoxHeadAVA")]
public sealed class BBoxHeadAVAConfig
{
    /// <summary>avg or max.</summary>
    public string TemporalPoolType { get; init; } = "avg";
    /// <summary>avg or max.</summary>
    public string SpatialPoolType { get; init; } = "max";
    public int InChannels { get; init; } = 2048;
    public double FocalGamma { get; init; }
    public double FocalAlpha { get; init; } = 1.0;
    /// <summary>Including class 0, which is never trained nor detected (AVA's reserved background class).</summary>
    public int NumClasses { get; init; } = 81;
    public double DropoutRatio { get; init; }
    public bool DropoutBeforePool { get; init; } = true;
    /// <summary>Accepted for MMAction2 compatibility: the recall/precision@top-k it logs are not computed here.</summary>
    public object? Topk { get; init; }
    /// <summary>Only true (sigmoid scores, binary cross-entropy), as MMAction2's AVA configs use.</summary>
    public bool Multilabel { get; init; } = true;
}
