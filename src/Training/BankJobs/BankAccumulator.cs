using Cluster.Training.Data;
using Cluster.Training.Lfb;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.BankJobs;

/// <summary>
/// Files each batch's person features under their RoI's (video, second), keeping the RoIs' order within a keyframe,
/// into one <see cref="FeatureBank"/> (created with the features' channel count at the first batch).
/// </summary>
internal sealed class BankAccumulator
{
    private readonly HashSet<string> videos = new(StringComparer.Ordinal);
    private FeatureBank? bank;

    public long Features => bank?.PersonCount ?? 0;
    public int Videos => videos.Count;

    /// <param name="features">float32 [R, C] on the CPU, one row per RoI of <paramref name="batch"/>'s detection targets.</param>
    public void Add(Batch batch, Tensor features)
    {
        var targets = batch.Detection ?? throw new ArgumentException("a feature bank batch has no RoIs (Batch.Detection is null)");
        if (features.dim() != 2 || features.shape[0] != targets.Count)
            throw new ArgumentException($"person features [{string.Join(", ", features.shape)}] do not give one row per RoI ({targets.Count})");
        int channels = (int)features.shape[1];
        bank ??= new FeatureBank(channels);
        var values = features.to(float32).contiguous().data<float>().ToArray();
        foreach (var keyframe in Enumerable.Range(0, targets.Count).GroupBy(i => targets.Info[i].Key))
        {
            var rows = new float[keyframe.Count() * channels];
            int row = 0;
            foreach (int roi in keyframe)
                Array.Copy(values, (long)roi * channels, rows, (long)row++ * channels, channels);
            bank.Add(keyframe.Key.VideoId, keyframe.Key.Timestamp, rows);
            videos.Add(keyframe.Key.VideoId);
        }
    }

    /// <param name="emptyChannels">The channels of the bank when no batch had a RoI.</param>
    public FeatureBank Result(int emptyChannels) => bank ?? new FeatureBank(emptyChannels);
}
