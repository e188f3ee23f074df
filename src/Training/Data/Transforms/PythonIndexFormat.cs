using System.Globalization;
using System.Text.RegularExpressions;

namespace Cluster.Training.Data.Transforms;

/// <summary>
/// Python's <c>str.format</c> for frame-name templates with one integer field: <c>{}</c>, <c>{:05}</c>,
/// <c>{:05d}</c>, <c>{:d}</c>.
/// </summary>
public static partial class PythonIndexFormat
{
    [GeneratedRegex(@"\{(?::(?<zero>0)?(?<width>\d+)?d?)?\}")]
    private static partial Regex Field();

    public static string Format(string template, int value)
    {
        var fields = Field().Matches(template);
        if (fields.Count != 1)
            throw new FormatException($"filename_tmpl '{template}' must contain exactly one integer field like {{:05}}");
        var field = fields[0];
        int width = field.Groups["width"].Success ? int.Parse(field.Groups["width"].Value, CultureInfo.InvariantCulture) : 0;
        var digits = value.ToString(CultureInfo.InvariantCulture);
        var padded = field.Groups["zero"].Success ? digits.PadLeft(width, '0') : digits.PadLeft(width);
        return template[..field.Index] + padded + template[(field.Index + field.Length)..];
    }
}
