using Cluster.Training.Data.Detection;
using static TorchSharp.torch;

namespace Cluster.Training.Data.Datasets;

/// <summary>A sample after its pipeline: formatted inputs ([V, C, H, W] or [V, C, T, H, W]) and labels (or RoIs).</summary>
public sealed class PackedSample(Tensor inputs, int[] labels, int datasetIndex) : IDisposable
{
    public Tensor Inputs { get; } = inputs;
    public int[] Labels { get; } = labels;

    /// <summary>The index actually loaded (differs from the requested one when an invalid sample was skipped).</summary>
    public int DatasetIndex { get; } = datasetIndex;

    /// <summary>The sample's RoIs in pixels of <see cref="Inputs"/> (detection datasets); null for recognition.</summary>
    public PackedRois? Rois { get; init; }

    public void Dispose() => Inputs.Dispose();
}
