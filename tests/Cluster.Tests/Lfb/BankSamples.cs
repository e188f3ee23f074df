using Cluster.Training.Lfb;

namespace Cluster.Tests.Lfb;

/// <summary>Small banks with known contents for the Lfb tests.</summary>
internal static class BankSamples
{
    /// <summary>Value of (video v, second s, person p, channel c): distinct everywhere, exact in float16.</summary>
    public static float ValueOf(int video, int second, int person, int channel) =>
        video * 8 + (second % 100) * 0.25f + person * 0.125f - channel * 0.5f;

    /// <summary>Videos "vid0".., seconds 900.. (every other one skipped in odd videos), 1–3 persons.</summary>
    public static FeatureBank Make(int videos, int seconds, int channels, int firstVideo = 0)
    {
        var bank = new FeatureBank(channels);
        for (int v = firstVideo; v < firstVideo + videos; v++)
            for (int s = 900; s < 900 + seconds; s++)
            {
                if (v % 2 == 1 && s % 2 == 1) continue;
                int persons = 1 + (v + s) % 3;
                var rows = new float[persons * channels];
                for (int p = 0; p < persons; p++)
                    for (int c = 0; c < channels; c++)
                        rows[p * channels + c] = ValueOf(v, s, p, c);
                bank.Add($"vid{v}", s, rows);
            }
        return bank;
    }
}
