using Cluster.Tests.Client;
using Cluster.Tests.Configs;

namespace Cluster.Tests.Sweeps;

/// <summary>Sweep spec files in a temp folder, based on the shipped tiny TSN demo config.</summary>
internal sealed class SweepSpecFiles : IDisposable
{
    private readonly TempConfigFiles _files = new();

    public static string DemoConfig => CliRunner.RepositoryFile(Path.Combine("configs", "demo", "tsn_tiny_synth.yaml"));

    public const string LrSpace = """
        search_space:
          optim_wrapper.optimizer.lr: {type: loguniform, lower: 0.001, upper: 0.1}
        """;

    public const string MinimalSweep = """
        sweep: {metric: acc/top1, mode: max}
        """;

    /// <summary>Writes <c>spec.yaml</c>: <c>_base_</c> the demo config, then <paramref name="body"/>.</summary>
    public string Write(string body) => _files.Write("spec.yaml", $"_base_: '{DemoConfig}'\n{body}\n");

    public void Dispose() => _files.Dispose();
}
