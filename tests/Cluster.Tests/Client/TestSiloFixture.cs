using Cluster.Silo;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Client;

/// <summary>
/// One real embedded-mode silo (localhost clustering, file grain state, a local artifact folder, one CPU slot) in a
/// temp folder; CLI tests reach it through its gateway with <c>--gateway</c>, as a client of a running cluster would.
/// </summary>
public sealed class TestSiloFixture : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("cli-silo-").FullName;
    private IHost? host;

    public string Gateway { get; private set; } = "";

    public async Task InitializeAsync()
    {
        var options = new ClusterSiloOptions { StateRoot = root, SiloPort = 0, GatewayPort = 0, Devices = "cpu", CpuSlots = 1 };
        host = SiloHostFactory.Create(options, new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });
        await host.StartAsync();
        Gateway = $"127.0.0.1:{options.GatewayPort}";
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            host.Dispose();
        }
        Directory.Delete(root, recursive: true);
    }
}
