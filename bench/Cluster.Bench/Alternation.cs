namespace Cluster.Bench;

/// <summary>
/// Runs measured variants in rotation (A B C, B C A, C A B, ...), so a shared machine's slow phases hit all of them
/// alike and none always runs first or last. Repeat i of every variant is measured back to back with repeat i of the
/// others, which is what <see cref="Samples.MedianRatioTo"/> pairs.
/// </summary>
public static class Alternation
{
    public static Samples[] Run(int repeats, params Func<double>[] variants)
    {
        var samples = variants.Select(_ => new Samples()).ToArray();
        for (int repeat = 0; repeat < repeats; repeat++)
        {
            for (int offset = 0; offset < variants.Length; offset++)
            {
                int variant = (repeat + offset) % variants.Length;
                samples[variant].Add(variants[variant]());
            }
        }
        return samples;
    }
}
