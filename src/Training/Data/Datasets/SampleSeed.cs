namespace Cluster.Training.Data.Datasets;

/// <summary>Seeds of per-sample random sources: a SplitMix64 mix of (seed, epoch, dataset index).</summary>
public static class SampleSeed
{
    public static int Derive(int seed, int epoch, int index)
    {
        ulong state = Mix((ulong)(uint)seed);
        state = Mix(state ^ (ulong)(uint)epoch);
        state = Mix(state ^ (ulong)(uint)index);
        return (int)(state & int.MaxValue);
    }

    private static ulong Mix(ulong value)
    {
        value += 0x9E3779B97F4A7C15UL;
        value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9UL;
        value = (value ^ (value >> 27)) * 0x94D049BB133111EBUL;
        return value ^ (value >> 31);
    }
}
