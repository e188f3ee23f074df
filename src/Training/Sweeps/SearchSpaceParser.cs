using Cluster.Training.Configs;

namespace Cluster.Training.Sweeps;

/// <summary>
/// Reads <c>search_space:</c> (key path → <c>{type: ..., ...}</c>): every key must name a single value of the merged
/// base config, every distribution must be well formed (lower &lt; upper, loguniform lower &gt; 0, randint integer
/// bounds, quniform bounds that are multiples of q &gt; 0, non-empty scalar values for choice and grid).
/// </summary>
internal static class SearchSpaceParser
{
    public const string Key = "search_space";

    private static readonly string[] TypeNames = ["uniform", "loguniform", "randint", "quniform", "choice", "grid"];

    public static IReadOnlyList<SearchDimension> Parse(ConfigDocument document, object? raw)
    {
        if (raw is null) throw new ConfigException(document.MainFile, Key, "missing: a sweep spec needs a search space");
        var space = SpecSection.Of(document, Key, raw);
        if (space.Map.Count == 0) throw new ConfigException(document.FileOf(Key), Key, "must name at least one config key");
        var dimensions = new List<SearchDimension>();
        foreach (var keyPath in space.Map.Keys)
        {
            CheckKeyExists(document, space, keyPath);
            dimensions.Add(new SearchDimension(keyPath, ParseDistribution(space.Section(keyPath))));
        }
        return dimensions;
    }

    private static void CheckKeyExists(ConfigDocument document, SpecSection space, string keyPath)
    {
        if (document.TryGet(keyPath, out var existing))
        {
            if (!RawTree.IsScalar(existing))
                throw space.Error(keyPath, $"names {RawTree.Describe(existing)} in the config; a search key must name a single value");
            return;
        }
        // The deepest part of the path that exists tells what the key was probably meant to be.
        // When a sibling with the rest of the path exists (a misspelt middle segment), that full path is the hint.
        var segments = keyPath.Split('.');
        var prefix = "";
        var matched = 0;
        object? node = document.Root;
        while (matched < segments.Length && document.TryGet(RawTree.JoinPath(prefix, segments[matched]), out var child))
        {
            prefix = RawTree.JoinPath(prefix, segments[matched++]);
            node = child;
        }
        var rest = string.Join('.', segments.Skip(matched + 1));
        var siblings = node is Dictionary<string, object?> map ? map.Keys.Select(key => RawTree.JoinPath(prefix, key)).ToList() : [];
        var completed = siblings.Select(sibling => RawTree.JoinPath(sibling, rest)).Where(path => document.TryGet(path, out _)).ToList();
        throw space.Error(keyPath, "not a key of the config" +
            Suggestions.DidYouMean(keyPath, completed.Count > 0 && rest.Length > 0 ? completed : siblings, listAllOtherwise: false));
    }

    private static SearchDistribution ParseDistribution(SpecSection entry)
    {
        var type = entry.String("type") ?? throw entry.Error("type", $"missing: one of {string.Join(", ", TypeNames)}");
        switch (type)
        {
            case "uniform":
            {
                entry.RejectUnknown(["type", "lower", "upper"]);
                var (lower, upper) = Bounds(entry);
                return new UniformDistribution(lower, upper);
            }
            case "loguniform":
            {
                entry.RejectUnknown(["type", "lower", "upper"]);
                var (lower, upper) = Bounds(entry);
                if (lower <= 0) throw entry.Error("lower", $"must be greater than 0 for loguniform, got {SpecSection.Format(lower)}");
                return new LogUniformDistribution(lower, upper);
            }
            case "randint":
            {
                entry.RejectUnknown(["type", "lower", "upper"]);
                foreach (var bound in new[] { "lower", "upper" })
                    if (entry.Map.GetValueOrDefault(bound) is not long)
                        throw entry.Error(bound, $"must be an integer, got {RawTree.Describe(entry.Map.GetValueOrDefault(bound))}");
                var (lower, upper) = ((long)entry.Map["lower"]!, (long)entry.Map["upper"]!);
                if (upper <= lower) throw entry.Error("upper", $"must be greater than lower ({lower}; upper is exclusive), got {upper}");
                return new RandIntDistribution(lower, upper);
            }
            case "quniform":
            {
                entry.RejectUnknown(["type", "lower", "upper", "q"]);
                var (lower, upper) = Bounds(entry);
                var q = entry.RequiredNumber("q");
                if (q <= 0) throw entry.Error("q", $"must be greater than 0, got {SpecSection.Format(q)}");
                foreach (var (bound, value) in new[] { ("lower", lower), ("upper", upper) })
                    if (!IsMultiple(value, q))
                        throw entry.Error(bound, $"{SpecSection.Format(value)} is not a multiple of q = {SpecSection.Format(q)}");
                var integral = entry.Map["lower"] is long && entry.Map["upper"] is long && entry.Map["q"] is long;
                return new QUniformDistribution(lower, upper, q, integral);
            }
            case "choice":
                entry.RejectUnknown(["type", "values"]);
                return new ChoiceDistribution(Values(entry));
            case "grid":
                entry.RejectUnknown(["type", "values"]);
                return new GridDistribution(Values(entry));
            default:
                throw entry.Error("type", $"'{type}' is not one of {string.Join(", ", TypeNames)}" +
                    Suggestions.DidYouMean(type, TypeNames, listAllOtherwise: false));
        }
    }

    private static (double Lower, double Upper) Bounds(SpecSection entry)
    {
        var lower = entry.RequiredNumber("lower");
        var upper = entry.RequiredNumber("upper");
        if (upper <= lower)
            throw entry.Error("upper", $"must be greater than lower ({SpecSection.Format(lower)}), got {SpecSection.Format(upper)}");
        return (lower, upper);
    }

    private static bool IsMultiple(double value, double q)
    {
        var steps = value / q;
        return Math.Abs(steps - Math.Round(steps)) <= 1e-9 * Math.Max(1, Math.Abs(steps));
    }

    private static IReadOnlyList<object> Values(SpecSection entry)
    {
        if (entry.Map.GetValueOrDefault("values") is not List<object?> list)
            throw entry.Error("values", $"must be a non-empty list, got {RawTree.Describe(entry.Map.GetValueOrDefault("values"))}");
        if (list.Count == 0) throw entry.Error("values", "must be a non-empty list");
        for (var i = 0; i < list.Count; i++)
            if (list[i] is null || !RawTree.IsScalar(list[i]))
                throw entry.Error($"values.{i}", $"must be a number, string or boolean, got {RawTree.Describe(list[i])}");
        return list.Select(value => value!).ToList();
    }
}
