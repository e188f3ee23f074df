using static TorchSharp.torch;

namespace Cluster.Training.Data.Detection;

/// <summary>
/// The RoIs of a detection batch (MMAction2's FastRCNN inputs after the assigner/sampler), on the CPU.
/// <para><see cref="Rois"/>: float32 [R, 5] = (batch row, x1, y1, x2, y2) in pixels of the network input.</para>
/// <para><see cref="Labels"/>: float32 [R, K] multi-hot (column 0 is AVA's unused background class); zeros for RoIs
/// without ground truth (test time).</para>
/// <para><see cref="Info"/>: one entry per RoI, same order.</para>
/// </summary>
public sealed class DetectionTargets(Tensor rois, Tensor labels, IReadOnlyList<RoiInfo> info) : IDisposable
{
    public Tensor Rois { get; } = rois;
    public Tensor Labels { get; } = labels;
    public IReadOnlyList<RoiInfo> Info { get; } = info;
    public int Count => Info.Count;

    public void Dispose()
    {
        Rois.Dispose();
        Labels.Dispose();
    }
}
