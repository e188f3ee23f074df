using System.CommandLine;

namespace Cluster.Client.Commands;

/// <summary>Options shared by several commands, so they read the same everywhere.</summary>
internal static class CommonOptions
{
    public static Option<string[]> Set() => new("--set")
    {
        Description = "Override a config key: key.path=value (repeatable; value read as YAML)",
    };

    public static Option<bool> Json() => new("--json")
    {
        Description = "Print one JSON object with the result as the last line",
    };

    public static Option<string?> Device() => new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N; overrides the config's device",
    };
}
