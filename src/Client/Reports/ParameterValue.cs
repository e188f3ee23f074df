using System.Globalization;

namespace Cluster.Client.Reports;

/// <summary>
/// A trial's parameter value as the sweep records it (YAML scalar text, invariant culture) read back as what it is: an
/// integer, a number, a boolean or text.
/// </summary>
internal static class ParameterValue
{
    public static object Typed(string text)
    {
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return integer;
        if (Number(text) is { } number) return number;
        if (bool.TryParse(text, out bool flag)) return flag;
        return text;
    }

    /// <summary>The value as a finite number, or null when it is not one (a choice of strings, say).</summary>
    public static double? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value) ? value : null;

    /// <summary>A value for people to read in tables and logs: integers and text as they are, other numbers to four
    /// significant digits (a sampled 0.03881995263899941 reads 0.03882). Files keep the full value.</summary>
    public static string Display(string text) => Typed(text) switch
    {
        double number => number.ToString("G4", CultureInfo.InvariantCulture),
        _ => text,
    };

    /// <summary>Numbers as the report writes them: shortest round-trip form, invariant culture.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
