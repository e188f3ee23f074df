using System.Reflection;
using System.Runtime.InteropServices;
using static TorchSharp.torch;

namespace Cluster.Bench;

/// <summary>What the figures depend on: cores, torch threads, library versions.</summary>
public static class BenchEnvironment
{
    public static IReadOnlyDictionary<string, string> Describe(bool quick) => new Dictionary<string, string>
    {
        ["mode"] = quick ? "quick" : "full",
        ["machine"] = $"{Environment.MachineName}, {RuntimeInformation.OSDescription}",
        ["cores"] = Environment.ProcessorCount.ToString(),
        ["torch threads"] = get_num_threads().ToString(),
        ["TorchSharp"] = InformationalVersion(typeof(TorchSharp.torch).Assembly),
        [".NET"] = RuntimeInformation.FrameworkDescription,
    };

    private static string InformationalVersion(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";
}
