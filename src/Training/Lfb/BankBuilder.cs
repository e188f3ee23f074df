using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>Progress of <see cref="BankBuilder.Build"/>: after each batch, what is in the bank so far.</summary>
public sealed record BankProgress(int Batches, int Keyframes, long Features);

/// <summary>
/// Computes a feature bank in process (MMAction2's LFB inference): for every RoI of every detection batch, the person
/// feature the given function returns (e.g. FastRCNN.PersonFeatures: RoI features → temporal avg → spatial max) is
/// filed under its keyframe (video, second), persons in RoI order. Feed it a test-mode loader over the proposals of
/// the videos to compute (a cluster worker: one shard of videos).
/// </summary>
public static class BankBuilder
{
    /// <param name="batches">Detection batches (<see cref="Batch.Detection"/> set); each is disposed once used.</param>
    /// <param name="personFeatures">The batch's RoIs → [R, channels] features in RoI order (any device, float).</param>
    /// <param name="channels">Feature channels (fixed up front so a shard without any RoI still gives a mergeable bank).</param>
    /// <param name="videos">When given, RoIs of other videos are left out.</param>
    /// <exception cref="ArgumentException">A batch without RoIs information, or a keyframe met in two batches.</exception>
    /// <exception cref="InvalidOperationException">The function returns another shape than [R, channels].</exception>
    /// <exception cref="OperationCanceledException">Cancelled between batches.</exception>
    public static FeatureBank Build(IEnumerable<Batch> batches, Func<Batch, Tensor> personFeatures, int channels,
        IReadOnlySet<string>? videos = null, IProgress<BankProgress>? progress = null, CancellationToken cancellation = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        ArgumentNullException.ThrowIfNull(personFeatures);
        var bank = new FeatureBank(channels);
        int count = 0;
        foreach (var batch in batches)
        {
            using (batch)
            {
                cancellation.ThrowIfCancellationRequested();
                var targets = batch.Detection
                    ?? throw new ArgumentException($"batch {count}: no RoIs (Batch.Detection is null); a feature bank needs a detection dataset such as AVADataset");
                if (targets.Count > 0)
                {
                    using var features = personFeatures(batch);
                    AddFeatures(bank, targets.Info.Select(i => i.Key).ToList(), features, videos, count);
                }
                count++;
                progress?.Report(new BankProgress(count, bank.SecondCount, bank.PersonCount));
            }
        }
        return bank;
    }

    private static void AddFeatures(FeatureBank bank, IReadOnlyList<AvaKey> keys, Tensor features, IReadOnlySet<string>? videos, int batchIndex)
    {
        using var scope = NewDisposeScope();
        int channels = bank.Channels;
        if (features.dim() != 2 || features.shape[0] != keys.Count || features.shape[1] != channels)
            throw new InvalidOperationException(
                $"batch {batchIndex}: person features are [{string.Join(", ", features.shape)}], expected [{keys.Count}, {channels}]");
        var values = features.detach().to(float32).cpu().contiguous().data<float>().ToArray();
        foreach (var group in Enumerable.Range(0, keys.Count).GroupBy(r => keys[r]))
        {
            if (videos is not null && !videos.Contains(group.Key.VideoId)) continue;
            var rows = new float[group.Count() * channels];
            int person = 0;
            foreach (int r in group)
                Array.Copy(values, (long)r * channels, rows, (long)person++ * channels, channels);
            if (bank.PersonsAt(group.Key.VideoId, group.Key.Timestamp) > 0)
                throw new ArgumentException($"batch {batchIndex}: keyframe {group.Key} already came in an earlier batch");
            bank.Insert(group.Key.VideoId, group.Key.Timestamp, rows);
        }
    }
}
