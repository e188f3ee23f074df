using Cluster.Training.Configs;

namespace Cluster.Training.Models.Backbones;

/// <summary>
/// MMAction2's <c>ResNet3dSlowOnly</c> (resnet3d_slowonly.py over resnet3d.py): ResNet3d with the SlowOnly defaults
/// conv1_kernel (1,7,7), inflate (0,0,1,1), no pool2 and no lateral connections.
/// </summary>
[ConfigType("ResNet3dSlowOnly")]
public sealed class ResNet3dSlowOnlyConfig : BackboneConfig
{
    public int Depth { get; init; }
    public string? Pretrained { get; init; }
    /// <summary>Whether <see cref="Pretrained"/> is a 2D ResNet checkpoint whose convs are inflated to 3D.</summary>
    public bool Pretrained2d { get; init; } = true;
    public List<int>? StageBlocks { get; init; }
    public int InChannels { get; init; } = 3;
    public int NumStages { get; init; } = 4;
    public int BaseChannels { get; init; } = 64;
    public List<int> OutIndices { get; init; } = [3];
    public List<int> SpatialStrides { get; init; } = [1, 2, 2, 2];
    public List<int> TemporalStrides { get; init; } = [1, 1, 1, 1];
    public List<int> Dilations { get; init; } = [1, 1, 1, 1];
    public List<int> Conv1Kernel { get; init; } = [1, 7, 7];
    public int Conv1StrideS { get; init; } = 2;
    public int Conv1StrideT { get; init; } = 1;
    public int Pool1StrideS { get; init; } = 2;
    public int Pool1StrideT { get; init; } = 1;
    public bool WithPool1 { get; init; } = true;
    public bool WithPool2 { get; init; }
    public ResNetStyle Style { get; init; } = ResNetStyle.Pytorch;
    public int FrozenStages { get; init; } = -1;
    /// <summary>Per stage (a scalar applies to every stage): 1 inflates the blocks' temporal kernel.</summary>
    public List<int> Inflate { get; init; } = [0, 0, 1, 1];
    /// <summary>"3x1x1" (temporal kernel on the first conv) or "3x3x3" (on the second).</summary>
    public string InflateStyle { get; init; } = "3x1x1";
    public bool NormEval { get; init; }
    /// <summary>Accepted like <see cref="ResNetConfig.WithCp"/>: checkpointing changes memory use, not results.</summary>
    public bool WithCp { get; init; }
    public bool ZeroInitResidual { get; init; } = true;
    /// <summary>Lateral connections belong to SlowFast's pathways; SlowOnly has none, so only false is valid.</summary>
    public bool Lateral { get; init; }
}
