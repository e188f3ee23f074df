using Cluster.Client.Connection;

namespace Cluster.Tests.Client;

/// <summary>
/// Bad input to the cluster commands: one line on stderr, exit 2. A bad config is caught before any cluster is
/// contacted (so nothing can be submitted): with an unreachable gateway, the config's error is the one reported.
/// </summary>
public sealed class ClusterCliErrorTests : IDisposable
{
    private const string DeadGateway = "127.0.0.1:1";
    private readonly string directory = Directory.CreateTempSubdirectory("cluster-cli-errors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string Demo => CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml");

    [Fact]
    public void NonexistentConfigIsNamedBeforeConnecting()
    {
        var result = CliRunner.Run("train", Path.Combine(directory, "nope.yaml"), "--gateway", DeadGateway);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("nope.yaml", line);
        Assert.DoesNotContain("gateway", line);
        Assert.Empty(result.OutputLines); // no experiment id: nothing was submitted
    }

    [Fact]
    public void InvalidConfigNamesFileAndKeyBeforeConnecting()
    {
        var config = Path.Combine(directory, "bad.yaml");
        File.WriteAllText(config, $"_base_: {Demo}\nmodel:\n  backbone: {{depthh: 18}}\n");

        var result = CliRunner.Run("train", config, "--gateway", DeadGateway, "--json");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("bad.yaml", line);
        Assert.Contains("model.backbone.depthh", line);
        Assert.Contains("\"status\":\"failed\"", Assert.Single(result.OutputLines));
    }

    [Theory]
    [InlineData("--set", "train_cfg.max_epochs=0", "train_cfg.max_epochs")]
    [InlineData("--device", "gpu7", "--device")]
    [InlineData("--workers", "0", "--workers")]
    [InlineData("--min-workers", "0", "--min-workers")]
    [InlineData("--work-dir", "somewhere", "--in-process")]
    public void RunSettingsAreCheckedBeforeConnecting(string option, string value, string named)
    {
        var result = CliRunner.Run("train", Demo, option, value, "--gateway", DeadGateway);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(named, line);
        Assert.DoesNotContain("gateway", line);
    }

    [Theory]
    [InlineData("workers: 0", "bad.yaml: workers: must be an integer of at least 1, got 0")]
    [InlineData("min_workers: two", "bad.yaml: min_workers: must be an integer of at least 1, got 'two'")]
    [InlineData("workers: 2\nmin_workers: 3", "bad.yaml: min_workers: min_workers 3 is more than workers 2")]
    [InlineData("workers: 4\nmax_workers: 2\nmin_workers: 3", "bad.yaml: min_workers: min_workers 3 is more than max_workers 2")]
    public void ABadGroupSizeInTheConfigNamesFileAndKeyBeforeConnecting(string keys, string expected)
    {
        var config = Path.Combine(directory, "bad.yaml");
        File.WriteAllText(config, $"_base_: {Demo}\n{keys}\n");

        var result = CliRunner.Run("train", config, "--gateway", DeadGateway);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.EndsWith(expected, line);
        Assert.Empty(result.OutputLines);
    }

    [Theory]
    [InlineData("status", "some-id")]
    [InlineData("cancel", "some-id")]
    [InlineData("list")]
    [InlineData("train", "DEMO")]
    public void UnreachableGatewayIsOneLineAndExit2(params string[] command)
    {
        var args = command.Select(a => a == "DEMO" ? Demo : a).Concat(["--gateway", DeadGateway]).ToArray();

        var result = CliRunner.Run(args);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith($"error: cannot reach the cluster gateway at {DeadGateway}: ", line);
    }

    [Theory]
    [InlineData("nonsense")]
    [InlineData("host:notaport")]
    [InlineData("host:70000")]
    [InlineData("127.0.0.1:30000,")]
    public void MalformedGatewayIsNamed(string gateway)
    {
        var result = CliRunner.Run("status", "some-id", "--gateway", gateway);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains($"--gateway '{gateway}'", line);
        Assert.Contains("host:port", line);
    }

    [Fact]
    public void TargetIsGatewayOptionThenEnvironmentThenEmbedded()
    {
        var environment = new Dictionary<string, string?>();
        string? Env(string name) => environment.GetValueOrDefault(name);

        Assert.Equal(new ClusterTarget.Embedded("/w/.cluster"), ClusterTarget.Resolve(null, Env, "/w"));
        environment["CLUSTER_REDIS"] = "127.0.0.1:6379";
        var missingId = Assert.Throws<ArgumentException>(() => ClusterTarget.Resolve(null, Env, "/w"));
        Assert.Contains("CLUSTER_ID", missingId.Message);
        environment["CLUSTER_ID"] = "lab";
        Assert.Equal(new ClusterTarget.Redis("127.0.0.1:6379", "lab"), ClusterTarget.Resolve(null, Env, "/w"));
        environment["CLUSTER_GATEWAY"] = "10.1.2.3:30000";
        Assert.Equal(["10.1.2.3:30000"], Gateways(ClusterTarget.Resolve(null, Env, "/w")));
        Assert.Equal(["127.0.0.1:40000", "127.0.0.1:40001"], Gateways(ClusterTarget.Resolve("127.0.0.1:40000, 127.0.0.1:40001", Env, "/w")));
        static string[] Gateways(ClusterTarget target) =>
            [.. Assert.IsType<ClusterTarget.Gateway>(target).EndPoints.Select(e => e.ToString())];
    }

    [Fact]
    public void TestWithABlobUriButNoBlobStoreConfiguredIsNamed()
    {
        const string uri = "http://127.0.0.1:1/devstoreaccount1/checkpoints/experiments/x/epoch_1.pth";
        var result = CliRunner.Run("test", Demo, "--checkpoint", uri);

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains(uri, line);
        Assert.Contains("Cluster__Storage__Kind", line);
    }
}
