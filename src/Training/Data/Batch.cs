using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Data;

/// <summary>
/// One collated mini-batch as the loader hands it to the training loop (on the CPU; the loop moves it to the device).
/// <para><see cref="Inputs"/>: float32, already normalised, shaped [N, V, C, H, W] for 2D recognisers (V = segments,
/// or clips × crops at test time) or [N, V, C, T, H, W] for 3D ones (V = clips × crops).</para>
/// <para><see cref="Labels"/>: int64 [N] class indices, or float32 [N, K] multi-hot for multi-label datasets.</para>
/// <para><see cref="SampleIndices"/>: dataset indices of the N samples, in batch order.</para>
/// <para><see cref="Detection"/>: the RoIs and their multi-hot labels of a spatio-temporal detection batch (AVA); null
/// for recognition. <see cref="Labels"/> is then an empty tensor.</para>
/// </summary>
public sealed class Batch(Tensor inputs, Tensor labels, int[] sampleIndices) : IDisposable
{
    public Tensor Inputs { get; } = inputs;
    public Tensor Labels { get; } = labels;
    public int[] SampleIndices { get; } = sampleIndices;
    public Detection.DetectionTargets? Detection { get; init; }
    public int Count => SampleIndices.Length;
    public bool IsMultiLabel => Labels.dim() == 2;

    public void Dispose()
    {
        Inputs.Dispose();
        Labels.Dispose();
        Detection?.Dispose();
    }
}
