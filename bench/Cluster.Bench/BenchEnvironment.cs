using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cluster.Bench;

/// <summary>What the figures depend on: cores, torch threads, library versions, and how busy the machine was.</summary>
public static class BenchEnvironment
{
    private const string LoadAverageFile = "/proc/loadavg";

    public static Dictionary<string, string> Describe(bool quick) => new()
    {
        ["mode"] = quick ? "quick" : "full",
        ["machine"] = $"{Environment.MachineName}, {RuntimeInformation.OSDescription}",
        ["cores"] = Environment.ProcessorCount.ToString(),
        ["torch threads"] = get_num_threads().ToString(),
        ["TorchSharp"] = InformationalVersion(typeof(TorchSharp.torch).Assembly),
        [".NET"] = RuntimeInformation.FrameworkDescription,
        ["load average at start"] = LoadAverage(),
    };

    /// <summary>The 1, 5 and 15 minute load averages (Linux); above the core count, other processes took cores.</summary>
    public static string LoadAverage() => File.Exists(LoadAverageFile)
        ? string.Join(' ', File.ReadAllText(LoadAverageFile).Split(' ').Take(3))
        : "unknown";

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
