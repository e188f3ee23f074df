using Cluster.Training.Configs;

namespace Cluster.Client.Commands.Experiments;

/// <summary>
/// How many workers a data-parallel run takes: the config's top-level <c>workers</c> (N means N; the fewest defaults to
/// it), <c>min_workers</c> and <c>max_workers</c> (the most, overriding <c>workers</c>), then <c>--workers</c> (the most)
/// and <c>--min-workers</c> from the command line. Nothing given: one worker; only a minimum: that many.
/// </summary>
internal static class GroupSize
{
    public const string WorkersKey = "workers";
    public const string MinWorkersKey = "min_workers";
    public const string MaxWorkersKey = "max_workers";

    /// <returns>(Max, Min): the most workers the group takes and the fewest it trains with.</returns>
    /// <exception cref="ConfigException">A config key is not a positive integer, or min exceeds max.</exception>
    /// <exception cref="ArgumentException">A flag is below 1, or min exceeds max.</exception>
    public static (int Max, int Min) Resolve(ConfigDocument document, int? workersFlag, int? minWorkersFlag)
    {
        int? workers = Read(document, WorkersKey);
        int? max = Read(document, MaxWorkersKey) ?? workers;
        int? min = Read(document, MinWorkersKey);
        if (workersFlag is { } flag)
        {
            if (flag < 1) throw new ArgumentException($"--workers {flag}: must be at least 1");
            max = flag;
        }
        if (minWorkersFlag is { } minFlag)
        {
            if (minFlag < 1) throw new ArgumentException($"--min-workers {minFlag}: must be at least 1");
            min = minFlag;
        }
        // Only a minimum given: the group is that size.
        int most = max ?? min ?? 1;
        int fewest = min ?? most;
        if (fewest <= most) return (most, fewest);
        string minFrom = minWorkersFlag is not null ? "--min-workers" : MinWorkersKey;
        string maxFrom = workersFlag is not null ? "--workers" : document.TryGet(MaxWorkersKey, out _) ? MaxWorkersKey : WorkersKey;
        string problem = $"{minFrom} {fewest} is more than {maxFrom} {most}";
        if (minWorkersFlag is null) throw new ConfigException(document.FileOf(MinWorkersKey), MinWorkersKey, problem);
        throw new ArgumentException(problem);
    }

    private static int? Read(ConfigDocument document, string key)
    {
        if (!document.TryGet(key, out var value) || value is null) return null;
        if (value is long number && number is >= 1 and <= int.MaxValue) return (int)number;
        throw new ConfigException(document.FileOf(key), key, $"must be an integer of at least 1, got {Describe(value)}");
    }

    private static string Describe(object value) => value switch
    {
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, System.Globalization.CultureInfo.InvariantCulture),
        _ => value.GetType().Name.ToLowerInvariant(),
    };
}
