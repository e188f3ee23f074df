using System.Text.Json;
using Cluster.Silo;
using Cluster.Tests.Client;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Collectives;

/// <summary>`cluster bench allreduce` against a real silo with two CPU slots, reached through its gateway.</summary>
public sealed class BenchAllReduceCommandTests : IAsyncLifetime
{
    private readonly string root = Directory.CreateTempSubdirectory("bench-silo-").FullName;
    private IHost? host;
    private string gateway = "";

    public async Task InitializeAsync()
    {
        var options = new ClusterSiloOptions { StateRoot = root, SiloPort = 0, GatewayPort = 0, Devices = "cpu", CpuSlots = 2 };
        host = SiloHostFactory.Create(options, new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });
        await host.StartAsync();
        gateway = $"127.0.0.1:{options.GatewayPort}";
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

    [Fact]
    public void TwoSlotsReduceEverySizeExactlyThenTheSlotsAreFreeAgain()
    {
        var result = CliRunner.Run("bench", "allreduce", "--workers", "2", "--sizes-mb", "0.01,0.5", "--iterations", "2",
            "--chunk-size-mb", "0.1", "--json", "--gateway", gateway);

        Assert.True(result.ExitCode == 0, result.Error);
        using var json = JsonDocument.Parse(result.OutputLines[^1]);
        var rows = json.RootElement.GetProperty("results").EnumerateArray().ToList();
        Assert.Equal([10484L, 524288L], rows.Select(r => r.GetProperty("size_bytes").GetInt64()));
        Assert.All(rows, r => Assert.True(r.GetProperty("exact").GetBoolean() && r.GetProperty("busbw_gbps").GetDouble() > 0));
        Assert.Equal(2, json.RootElement.GetProperty("workers").GetArrayLength());

        var tooMany = CliRunner.Run("bench", "allreduce", "--workers", "3", "--gateway", gateway);
        Assert.Equal(2, tooMany.ExitCode);
        Assert.Equal("error: --workers 3: the cluster has 2 free slots (a benchmark takes 3 of one kind)", Assert.Single(tooMany.ErrorLines));
    }
}

/// <summary>Options the command checks before it connects: one line, exit 2.</summary>
public sealed class BenchAllReduceOptionTests
{
    [Theory]
    [InlineData("--sizes-mb", "4,x", "error: --sizes-mb: 'x' is not a size between 0 and 2048 MiB")]
    [InlineData("--workers", "1", "error: --workers must be at least 2, got 1")]
    [InlineData("--backend", "mpi", "error: --backend must be auto, ring or nccl, got 'mpi'")]
    public void BadOptionsAreOneLineAndExitTwo(string option, string value, string message)
    {
        var result = CliRunner.Run("bench", "allreduce", option, value, "--gateway", "127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(message, Assert.Single(result.ErrorLines));
    }
}
