using Cluster.Training.Configs;

namespace Cluster.Training.Models.Backbones;

/// <summary>MMAction2's 2D <c>ResNet</c> backbone (mmaction/models/backbones/resnet.py) with its defaults.</summary>
[ConfigType("ResNet")]
public sealed class ResNetConfig : BackboneConfig
{
    public int Depth { get; init; }
    public string? Pretrained { get; init; }
    /// <summary>Whether <see cref="Pretrained"/> is a torchvision checkpoint; the checkpoint loader maps its keys.</summary>
    public bool TorchvisionPretrain { get; init; } = true;
    public int InChannels { get; init; } = 3;
    /// <summary>Stem width; stage i has base_channels·2^i planes. MMAction2 fixes 64; smaller values give tiny models.</summary>
    public int BaseChannels { get; init; } = 64;
    public int NumStages { get; init; } = 4;
    public List<int> OutIndices { get; init; } = [3];
    public List<int> Strides { get; init; } = [1, 2, 2, 2];
    public List<int> Dilations { get; init; } = [1, 1, 1, 1];
    public ResNetStyle Style { get; init; } = ResNetStyle.Pytorch;
    public int FrozenStages { get; init; } = -1;
    public bool NormEval { get; init; }
    public bool PartialBn { get; init; }
    /// <summary>Gradient checkpointing only trades memory for recomputation; TorchSharp has no
    /// <c>torch.utils.checkpoint</c>, so the key is accepted and the results are the same without it.</summary>
    public bool WithCp { get; init; }
}
