namespace Cluster.Training.Lfb;

/// <summary>How a feature bank file stores its values (the bank in memory is always float32).</summary>
public enum FeatureBankDtype : byte
{
    Float32 = 1,
    /// <summary>IEEE half precision: half the bytes, ~3 significant digits (MMAction2 stores its AVA banks so).</summary>
    Float16 = 2,
}

public static class FeatureBankDtypes
{
    public static int BytesPerValue(this FeatureBankDtype dtype) => dtype switch
    {
        FeatureBankDtype.Float32 => sizeof(float),
        FeatureBankDtype.Float16 => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown feature bank dtype"),
    };

    public static string Name(this FeatureBankDtype dtype) => dtype == FeatureBankDtype.Float16 ? "float16" : "float32";

    /// <summary>"float32" or "float16" (as configs and the CLI write them).</summary>
    /// <exception cref="ArgumentException">Any other name.</exception>
    public static FeatureBankDtype Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "float32" => FeatureBankDtype.Float32,
        "float16" => FeatureBankDtype.Float16,
        _ => throw new ArgumentException($"feature bank dtype '{name}' is unknown; use 'float32' or 'float16'"),
    };
}
