namespace Cluster.Training.Models.Backbones;

/// <summary>What a 3D residual block needs to know beyond its channel counts.</summary>
public sealed record Block3dSettings(
    long SpatialStride, long TemporalStride, long Dilation, ResNetStyle Style, bool Inflate, string InflateStyle);
