using Cluster.Training.Data.Detection;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Detectors;

/// <summary>
/// A shared RoI head: RoI features [R, C, T, H, W] plus where each RoI comes from (keyframe, box) → features
/// [R, <see cref="OutChannels"/>, 1, 1, 1] for the bbox head.
/// </summary>
public abstract class RoiSharedHead(string name) : nn.Module<Tensor, IReadOnlyList<RoiInfo>, Tensor>(name)
{
    public abstract int OutChannels { get; }
}
