namespace Cluster.Training.Models.Backbones;

/// <summary>Block type and blocks per stage of the standard ResNet depths (shared by the 2D and 3D backbones).</summary>
public sealed record ResNetArchitecture(bool UsesBottleneck, int[] StageBlocks)
{
    public int Expansion => UsesBottleneck ? 4 : 1;

    public static ResNetArchitecture ForDepth(int depth, string keyPath) => depth switch
    {
        18 => new(false, [2, 2, 2, 2]),
        34 => new(false, [3, 4, 6, 3]),
        50 => new(true, [3, 4, 6, 3]),
        101 => new(true, [3, 4, 23, 3]),
        152 => new(true, [3, 8, 36, 3]),
        _ => throw new ArgumentException($"{keyPath}.depth: {depth} is not one of 18, 34, 50, 101, 152"),
    };
}
