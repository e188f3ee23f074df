using Cluster.Training.Configs;
using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;

namespace Cluster.Training.Models.Recognizers;

/// <summary>A recogniser's <c>model</c> section: backbone + cls_head.</summary>
public abstract class RecognizerConfig : ModelConfig
{
    public BackboneConfig? Backbone { get; init; }
    public HeadConfig? ClsHead { get; init; }
    public Dictionary<string, object?>? TrainCfg { get; init; }
    public Dictionary<string, object?>? TestCfg { get; init; }
}

/// <summary>TSN-style: inputs [N, S, C, H, W], every segment through the 2D backbone, consensus in the head.</summary>
[ConfigType("Recognizer2D")]
public sealed class Recognizer2DConfig : RecognizerConfig;

/// <summary>Clip-based: inputs [N, V, C, T, H, W], every clip through the 3D backbone, views averaged.</summary>
[ConfigType("Recognizer3D")]
public sealed class Recognizer3DConfig : RecognizerConfig;
