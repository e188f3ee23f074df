namespace Cluster.Training.Hooks;

/// <summary>
/// greater/less comparison of a monitored metric, inferred from its key as MMEngine's CheckpointHook and
/// EarlyStoppingHook do (case-insensitive; exact match first, then substring).
/// </summary>
public enum MetricRule
{
    Greater,
    Less,
}

public static class MetricRules
{
    private static readonly string[] GreaterKeys =
        ["acc", "top", "AR@", "auc", "precision", "mAP", "mDice", "mIoU", "mAcc", "aAcc"];
    private static readonly string[] LessKeys = ["loss"];

    /// <summary>The explicit rule ("greater"/"less") or the one inferred from <paramref name="key"/>.</summary>
    public static MetricRule Resolve(string? rule, string key, string configPath) => rule switch
    {
        "greater" => MetricRule.Greater,
        "less" => MetricRule.Less,
        null => Infer(key, configPath),
        _ => throw new ArgumentException($"{configPath}.rule: expected 'greater' or 'less', got '{rule}'"),
    };

    public static MetricRule Infer(string key, string configPath)
    {
        string lower = key.ToLowerInvariant();
        bool Exact(string[] keys) => keys.Any(k => k.ToLowerInvariant() == lower);
        bool Contains(string[] keys) => keys.Any(k => lower.Contains(k.ToLowerInvariant(), StringComparison.Ordinal));
        if (Exact(GreaterKeys)) return MetricRule.Greater;
        if (Exact(LessKeys)) return MetricRule.Less;
        if (Contains(GreaterKeys)) return MetricRule.Greater;
        if (Contains(LessKeys)) return MetricRule.Less;
        throw new ArgumentException($"{configPath}: cannot infer the rule for '{key}', set rule: greater or less");
    }

    public static bool IsBetter(this MetricRule rule, double candidate, double reference) =>
        rule == MetricRule.Greater ? candidate > reference : candidate < reference;

    public static double Worst(this MetricRule rule) =>
        rule == MetricRule.Greater ? double.NegativeInfinity : double.PositiveInfinity;
}
