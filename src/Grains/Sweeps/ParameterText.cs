using Cluster.Training.Sweeps;

namespace Cluster.Grains.Sweeps;

/// <summary>Trial parameters as the statuses carry them: YAML scalar text that <see cref="TrialParameters.FromYamlText"/>
/// reads back as the same typed value.</summary>
public static class ParameterText
{
    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, object> parameters) =>
        parameters.ToDictionary(p => p.Key, p => TrialParameters.ToYamlText(p.Value));
}
