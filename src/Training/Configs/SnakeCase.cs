using System.Text;

namespace Cluster.Training.Configs;

/// <summary>C# member names → MMEngine key style: FrozenStages → frozen_stages, MaxWHScaleGap → max_wh_scale_gap,
/// Conv1Kernel → conv1_kernel, WithPool2 → with_pool2.</summary>
public static class SnakeCase
{
    public static string From(string name)
    {
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c) && i > 0 && StartsWord(name, i)) result.Append('_');
            result.Append(char.ToLowerInvariant(c));
        }
        return result.ToString();
    }

    private static bool StartsWord(string name, int i)
    {
        var previous = name[i - 1];
        if (char.IsLower(previous) || char.IsDigit(previous)) return true;
        return char.IsUpper(previous) && i + 1 < name.Length && char.IsLower(name[i + 1]);
    }
}
