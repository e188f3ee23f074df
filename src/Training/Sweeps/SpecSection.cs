using System.Globalization;
using Cluster.Training.Configs;

namespace Cluster.Training.Sweeps;

/// <summary>
/// Typed reads of one mapping of a sweep spec with the config system's errors (<c>file: key.path: problem</c>, the
/// file being the one that defined the key): unknown keys with a did-you-mean, wrong types, values out of range.
/// </summary>
internal sealed class SpecSection
{
    private readonly ConfigDocument _document;
    private readonly Dictionary<string, object?> _map;

    private SpecSection(ConfigDocument document, string keyPath, Dictionary<string, object?> map)
    {
        _document = document;
        KeyPath = keyPath;
        _map = map;
    }

    public string KeyPath { get; }

    /// <summary>The mapping at <paramref name="keyPath"/>; a missing or null value is an empty mapping.</summary>
    public static SpecSection Of(ConfigDocument document, string keyPath, object? value) => value switch
    {
        Dictionary<string, object?> map => new SpecSection(document, keyPath, map),
        null => new SpecSection(document, keyPath, []),
        _ => throw new ConfigException(document.FileOf(keyPath), keyPath, $"must be a mapping, got {RawTree.Describe(value)}"),
    };

    public IReadOnlyDictionary<string, object?> Map => _map;

    public bool Has(string key) => _map.TryGetValue(key, out var value) && value is not null;

    public string PathOf(string key) => RawTree.JoinPath(KeyPath, key);

    public ConfigException Error(string key, string problem) => new(_document.FileOf(PathOf(key)), PathOf(key), problem);

    public void RejectUnknown(IReadOnlyCollection<string> known)
    {
        foreach (var key in _map.Keys.Where(key => !known.Contains(key)))
            throw Error(key, "unknown key" + Suggestions.DidYouMean(key, known, listAllOtherwise: true));
    }

    public SpecSection Section(string key) => Of(_document, PathOf(key), _map.GetValueOrDefault(key));

    public int Int(string key, int fallback, int minimum)
    {
        if (!Has(key)) return fallback;
        var raw = _map[key];
        if (raw is not long value || value > int.MaxValue)
            throw Error(key, $"must be an integer ≥ {minimum}, got {RawTree.Describe(raw)}");
        if (value < minimum) throw Error(key, $"must be at least {minimum}, got {value}");
        return (int)value;
    }

    public long Long(string key, long fallback) => !Has(key) ? fallback : _map[key] as long? ??
        throw Error(key, $"must be an integer, got {RawTree.Describe(_map[key])}");

    /// <summary>A finite number (integers are accepted as numbers).</summary>
    public double? Number(string key)
    {
        if (!Has(key)) return null;
        return _map[key] switch
        {
            long value => value,
            double value when double.IsFinite(value) => value,
            var raw => throw Error(key, $"must be a finite number, got {RawTree.Describe(raw)}"),
        };
    }

    public double RequiredNumber(string key) => Number(key) ?? throw Error(key, "missing: required");

    public string? String(string key) => !Has(key) ? null : _map[key] as string ??
        throw Error(key, $"must be a string, got {RawTree.Describe(_map[key])}");

    /// <summary>One of <paramref name="names"/> (snake_case spellings of the enum's members, in order).</summary>
    public T Choice<T>(string key, T fallback, IReadOnlyList<(string Name, T Value)> names)
    {
        var text = String(key);
        if (text is null) return fallback;
        foreach (var (name, value) in names)
            if (name == text) return value;
        throw Error(key, $"'{text}' is not one of {string.Join(", ", names.Select(n => n.Name))}" +
            Suggestions.DidYouMean(text, names.Select(n => n.Name), listAllOtherwise: false));
    }

    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
