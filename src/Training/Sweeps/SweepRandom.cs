namespace Cluster.Training.Sweeps;

/// <summary>
/// A small seeded generator (SplitMix64) whose sequence is fixed by this code, not by the runtime's
/// <see cref="Random"/>: a sweep suggests the same trials after a restart, on any .NET version.
/// </summary>
internal sealed class SweepRandom
{
    private ulong _state;

    /// <summary>One independent stream per combination of <paramref name="parts"/> (e.g. seed, trial index, purpose).</summary>
    public SweepRandom(params long[] parts)
    {
        _state = 0x243F6A8885A308D3UL;
        foreach (var part in parts)
        {
            _state ^= (ulong)part;
            _state = NextUInt64();
        }
    }

    public ulong NextUInt64()
    {
        _state += 0x9E3779B97F4A7C15UL;
        var z = _state;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform in [0, 1), 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    /// <summary>Uniform in [0, <paramref name="count"/>).</summary>
    public int NextInt(int count) => (int)(NextUInt64() % (ulong)count);

    /// <summary>Standard normal (Box–Muller).</summary>
    public double NextNormal()
    {
        var u1 = 1.0 - NextDouble(); // (0, 1]: the log stays finite
        var u2 = NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
