using Cluster.Training.Configs;
using Cluster.Training.Experiments;

namespace Cluster.Training.Sweeps;

/// <summary>
/// Loads a sweep spec: an experiment config (with <c>_base_</c> like any config) plus the top-level sections
/// <c>search_space</c> and <c>sweep</c>. Everything that can be checked before a trial starts is: the base as a
/// training config, each search key against it, each distribution, the settings, and a trial config at each edge of
/// each distribution. Errors are <see cref="ConfigException"/>s (<c>file: key.path: problem</c>).
/// </summary>
public static class SweepSpecLoader
{
    /// <param name="overrides"><c>key.path=value</c> applied to the whole file (base keys and sweep keys alike) before
    /// the sections are split, as <c>--set</c> does.</param>
    public static SweepSpec Load(string path, IReadOnlyList<string>? overrides = null) =>
        Build(ConfigLoader.LoadUnvalidated(path, overrides));

    /// <summary>A spec as text without <c>_base_</c> (what <see cref="SweepSpec.ToYaml"/> wrote); <paramref name="name"/>
    /// stands for the file in errors.</summary>
    public static SweepSpec Parse(string yaml, string name) => Build(ConfigLoader.LoadMergedUnvalidated(yaml, name));

    private static SweepSpec Build(ConfigDocument document)
    {
        document.Root.Remove(SearchSpaceParser.Key, out var rawSpace);
        document.Root.Remove(SweepSettingsParser.Key, out var rawSweep);
        TopLevelConfigKeys.Validate(document);
        var baseConfig = TrainingJob.Check(document);
        var searchSpace = SearchSpaceParser.Parse(document, rawSpace);
        var settings = SweepSettingsParser.Parse(document, rawSweep, baseConfig.TrainCfg!.MaxEpochs);
        var spec = new SweepSpec(document.MainFile, document, (Dictionary<string, object?>)RawTree.DeepCopy(rawSpace)!,
            (Dictionary<string, object?>)RawTree.DeepCopy(rawSweep)!, searchSpace, settings);
        spec.CheckExtremes();
        return spec;
    }
}
