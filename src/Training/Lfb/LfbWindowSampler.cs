using Cluster.Training.Data.Ava;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// MMAction2's <c>LFB.sample_long_term_features</c> + <c>FBOHead.sample_lfb</c>: for a RoI at (video, t), the seconds
/// t − W/2 … t − W/2 + W − 1 (W = <see cref="WindowSize"/>, W/2 rounded down); for each second the bank has, the rows
/// of a random subset of at most K = <see cref="MaxPersonsPerSecond"/> persons in slots 0…; every other slot is zero.
/// <para>Randomness is torch's, as in MMAction2: one <c>randperm(persons)</c> per present second, in RoI then second
/// order, from the given generator or torch's global one (which the engine seeds and a resume restores), so a seeded
/// run samples the same subsets. Sampling happens at test time too (MMAction2 does the same).</para>
/// </summary>
public sealed class LfbWindowSampler
{
    public LfbWindowSampler(int windowSize, int maxPersonsPerSecond)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPersonsPerSecond);
        WindowSize = windowSize;
        MaxPersonsPerSecond = maxPersonsPerSecond;
    }

    public int WindowSize { get; }
    public int MaxPersonsPerSecond { get; }
    public int Slots => WindowSize * MaxPersonsPerSecond;

    /// <summary>Long-term features of each key: float32 [R, C, W·K] on the CPU (slot s·K + j holds second s's j-th pick).</summary>
    /// <exception cref="KeyNotFoundException">A key's video has no features in the bank (named).</exception>
    public Tensor Sample(FeatureBank bank, IReadOnlyList<AvaKey> keys, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(bank);
        ArgumentNullException.ThrowIfNull(keys);
        int channels = bank.Channels, k = MaxPersonsPerSecond;
        var slots = new float[(long)keys.Count * Slots * channels]; // [R, W·K, C], zero = padding
        for (int r = 0; r < keys.Count; r++)
        {
            var key = keys[r];
            if (!bank.HasVideo(key.VideoId))
                throw new KeyNotFoundException($"video '{key.VideoId}' has no features in the long-term feature bank");
            int start = key.Timestamp - WindowSize / 2;
            for (int w = 0; w < WindowSize; w++)
            {
                var rows = bank.Get(key.VideoId, start + w);
                if (rows.IsEmpty) continue;
                int persons = rows.Length / channels;
                using var order = randperm(persons, generator: generator);
                var picks = order.data<long>();
                int taken = Math.Min(persons, k);
                for (int j = 0; j < taken; j++)
                {
                    var source = rows.Slice((int)picks[j] * channels, channels);
                    source.CopyTo(slots.AsSpan((int)(((long)r * Slots + w * k + j) * channels), channels));
                }
            }
        }
        using var flat = tensor(slots, [keys.Count, Slots, channels]);
        return flat.permute(0, 2, 1).contiguous();
    }
}
