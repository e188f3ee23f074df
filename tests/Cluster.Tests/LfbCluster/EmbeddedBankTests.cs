using System.Text.Json;
using Cluster.Tests.Client;

namespace Cluster.Tests.LfbCluster;

/// <summary>
/// With no gateway, <c>cluster lfb compute</c> runs the bank on the client's embedded silo (one CPU slot, a local
/// folder store in CLUSTER_HOME): the split completes and <c>lfb info</c> reads the stored bank from the URI printed.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class EmbeddedBankTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("lfb-embedded-").FullName;
    private readonly BankTestSet data = BankTestSet.Create("lfb-embedded-data-", videos: 2, seconds: 4);

    public EmbeddedBankTests() => Environment.SetEnvironmentVariable("CLUSTER_HOME", home);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CLUSTER_HOME", null);
        Directory.Delete(home, recursive: true);
        data.Dispose();
    }

    [Fact]
    public void AnEmbeddedSiloComputesTheBankAndInfoReadsItBack()
    {
        var compute = CliRunner.Run("lfb", "compute", data.ConfigPath, "--split", "val", "--dtype", "float16", "--shards", "2", "--json");

        Assert.True(compute.ExitCode == 0, compute.Error + compute.Output);
        string id = compute.OutputLines[0];
        Assert.StartsWith("bank_tiny-", id);
        Assert.Contains(compute.ErrorLines, line => line.StartsWith("val: running, shards", StringComparison.Ordinal)
                                                     || line.StartsWith("val: merging", StringComparison.Ordinal));
        using var json = JsonDocument.Parse(compute.OutputLines[^1]);
        Assert.Equal(("completed", 2, 2), (json.RootElement.GetProperty("state").GetString(),
            json.RootElement.GetProperty("shards_done").GetInt32(), json.RootElement.GetProperty("shards_total").GetInt32()));
        string uri = json.RootElement.GetProperty("bank_uri").GetString()!;
        Assert.EndsWith($"banks/{id}/lfb_val.bank", uri);

        var info = CliRunner.Run("lfb", "info", uri, "--json");

        Assert.True(info.ExitCode == 0, info.Error);
        using var described = JsonDocument.Parse(info.OutputLines[^1]);
        Assert.Equal((2, "float16", 64), (described.RootElement.GetProperty("videos").GetInt32(),
            described.RootElement.GetProperty("dtype").GetString(), described.RootElement.GetProperty("channels").GetInt32()));
        Assert.Equal(json.RootElement.GetProperty("features").GetInt64(), described.RootElement.GetProperty("persons").GetInt64());
        Assert.Equal(json.RootElement.GetProperty("bank_bytes").GetInt64(), described.RootElement.GetProperty("bytes").GetInt64());

        // The same bank again: nothing is computed; in float32 it would be another bank: refused, the bank unchanged.
        var again = CliRunner.Run("lfb", "compute", data.ConfigPath, "--split", "val", "--dtype", "float16", "--shards", "2", "--json");
        var other = CliRunner.Run("lfb", "compute", data.ConfigPath, "--split", "val", "--dtype", "float32");
        var status = CliRunner.Run("lfb", "status", id, "--json");

        Assert.True(again.ExitCode == 0, again.Error);
        Assert.Contains(again.ErrorLines, line => line.EndsWith("(already completed)", StringComparison.Ordinal));
        Assert.Equal(2, other.ExitCode);
        Assert.Contains("use another bank id", Assert.Single(other.ErrorLines));
        using var after = JsonDocument.Parse(status.OutputLines[^1]);
        Assert.Equal(("completed", "float16", uri), (after.RootElement[0].GetProperty("state").GetString(),
            after.RootElement[0].GetProperty("dtype").GetString(), after.RootElement[0].GetProperty("bank_uri").GetString()));
    }
}
