using System.Globalization;

namespace Cluster.Grains.Sweeps;

/// <summary>Trial parameter values as YAML scalar text (invariant culture; a double in its shortest round-trip form).</summary>
public static class ParameterText
{
    public static string Of(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static IReadOnlyDictionary<string, string> Of(IReadOnlyDictionary<string, object> parameters) =>
        parameters.ToDictionary(p => p.Key, p => Of(p.Value));
}
