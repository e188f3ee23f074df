using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Training.Sweeps;

/// <summary>
/// A validated sweep: the merged base config (without <c>search_space</c> and <c>sweep</c>), the search space and the
/// settings. Built by <see cref="SweepSpecLoader"/>; <see cref="ToYaml"/> is the self-contained text to ship
/// (<see cref="SweepSpecLoader.Parse"/> reads it back).
/// </summary>
public sealed class SweepSpec
{
    private readonly Dictionary<string, object?> _baseRoot;
    private readonly Dictionary<string, object?> _rawSearchSpace;
    private readonly Dictionary<string, object?> _rawSweep;

    internal SweepSpec(string name, ConfigDocument baseConfig, Dictionary<string, object?> rawSearchSpace,
        Dictionary<string, object?> rawSweep, IReadOnlyList<SearchDimension> searchSpace, SweepSettings settings)
    {
        Name = name;
        BaseConfigYaml = baseConfig.ToYaml();
        _baseRoot = (Dictionary<string, object?>)RawTree.DeepCopy(baseConfig.Root)!;
        _rawSearchSpace = rawSearchSpace;
        _rawSweep = rawSweep;
        SearchSpace = searchSpace;
        Settings = settings;
    }

    /// <summary>The spec file (or the name given to <see cref="SweepSpecLoader.Parse"/>), as errors name it.</summary>
    public string Name { get; }

    /// <summary>The merged base config as YAML, what a trial runs with its parameters unset.</summary>
    public string BaseConfigYaml { get; }

    public IReadOnlyList<SearchDimension> SearchSpace { get; }

    public SweepSettings Settings { get; }

    /// <summary>Trials in all: grid size × num_samples for the grid searcher, else num_samples.</summary>
    public int TotalTrials => Settings.SearchAlg == SearchAlgorithm.Grid ? GridSearcher.GridSize(SearchSpace) * Settings.NumSamples : Settings.NumSamples;

    /// <summary>The trial's config: the base with each parameter set the way <c>--set key=value</c> sets it.</summary>
    /// <exception cref="ConfigException">A parameter makes the config invalid (names the search key).</exception>
    public ConfigDocument TrialConfig(IReadOnlyDictionary<string, object> parameters)
    {
        try
        {
            var document = ConfigLoader.LoadMerged(BaseConfigYaml, Name, TrialParameters.ToOverrides(parameters));
            TrainingJob.Check(document);
            return document;
        }
        catch (ConfigException error)
        {
            var key = parameters.Keys.FirstOrDefault(key => error.KeyPath == key || error.KeyPath.StartsWith(key + ".", StringComparison.Ordinal))
                ?? parameters.Keys.FirstOrDefault(key => error.File.StartsWith($"--set {key}=", StringComparison.Ordinal));
            var culprit = key is null ? "" : $" with {key} = {TrialParameters.Display(parameters[key])}";
            var problem = error.KeyPath.Length == 0 || error.KeyPath == key ? error.Problem : $"{error.KeyPath}: {error.Problem}";
            throw new ConfigException(Name, key is null ? SearchSpaceParser.Key : RawTree.JoinPath(SearchSpaceParser.Key, key),
                $"the trial config is invalid{culprit}: {problem}");
        }
    }

    /// <summary><see cref="TrialConfig"/> as the merged YAML an ExperimentGrain runs.</summary>
    public string TrialConfigYaml(IReadOnlyDictionary<string, object> parameters) => TrialConfig(parameters).ToYaml();

    /// <summary>The searcher of <see cref="SweepSettings.SearchAlg"/>, seeded with <see cref="SweepSettings.Seed"/>.</summary>
    public ISearcher CreateSearcher() => Settings.SearchAlg switch
    {
        SearchAlgorithm.Grid => new GridSearcher(SearchSpace, Settings.NumSamples, Settings.Seed),
        SearchAlgorithm.Random => new RandomSearcher(SearchSpace, Settings.NumSamples, Settings.Seed),
        SearchAlgorithm.Tpe => new TpeSearcher(SearchSpace, Settings.NumSamples, Settings.Seed, Settings.Mode, Settings.Tpe),
        _ => throw new InvalidOperationException($"unknown search algorithm {Settings.SearchAlg}"),
    };

    /// <summary>A fresh scheduler of <see cref="SweepSettings.Scheduler"/> (replay recorded results into it after a restart).</summary>
    public ITrialScheduler CreateScheduler() => Settings.Scheduler switch
    {
        AshaSchedulerSettings asha => new AshaScheduler(asha, Settings.Mode),
        MedianStoppingSettings median => new MedianStoppingScheduler(median, Settings.Mode),
        _ => new FifoScheduler(),
    };

    /// <summary>The whole spec as one YAML document without <c>_base_</c>: the base config plus
    /// <c>search_space</c> and <c>sweep</c>.</summary>
    public string ToYaml()
    {
        var root = (Dictionary<string, object?>)RawTree.DeepCopy(_baseRoot)!;
        root[SearchSpaceParser.Key] = RawTree.DeepCopy(_rawSearchSpace);
        root[SweepSettingsParser.Key] = RawTree.DeepCopy(_rawSweep);
        return ConfigYamlWriter.Write(root);
    }

    /// <summary>Every trial config a distribution's edge values give must validate (see <see cref="SearchDistribution.Extremes"/>).</summary>
    internal void CheckExtremes()
    {
        foreach (var dimension in SearchSpace)
            foreach (var value in dimension.Distribution.Extremes)
                TrialConfig(new Dictionary<string, object> { [dimension.KeyPath] = value });
    }
}
