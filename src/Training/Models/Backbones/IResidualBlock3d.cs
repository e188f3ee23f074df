namespace Cluster.Training.Models.Backbones;

/// <summary>A 3D residual block; <see cref="LastConv"/> is the one whose BN zero_init_residual zeroes.</summary>
public interface IResidualBlock3d
{
    ConvModule LastConv { get; }
}
