using Cluster.Tests.Sweeps;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>
/// Bad input to the sweep commands: one line on stderr naming the file, key, option or gateway at fault, exit 2. A bad
/// spec is caught before any cluster is contacted (the gateway named is dead, so its error would show otherwise), and
/// nothing is printed on stdout: no sweep id, nothing submitted.
/// </summary>
public sealed class SweepCliErrorTests : IDisposable
{
    private const string DeadGateway = "127.0.0.1:1";
    private readonly SweepSpecFiles specs = new();

    public void Dispose() => specs.Dispose();

    private static string DemoSweep => CliRunner.RepositoryFile("configs/demo/sweep_tiny_synth.yaml");

    private static void AssertOneLineNaming(CliRunner.Result result, params string[] named)
    {
        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.StartsWith("error: ", line);
        foreach (var name in named) Assert.Contains(name, line);
    }

    [Fact]
    public void MissingSpecIsNamedBeforeConnecting()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir-4711", "nope.yaml");
        var result = CliRunner.Run("sweep", "submit", missing, "--gateway", DeadGateway);

        AssertOneLineNaming(result, "nope.yaml");
        Assert.DoesNotContain("gateway", result.Error);
        Assert.Empty(result.OutputLines);
    }

    [Theory]
    [InlineData("search_space:\n  optim_wrapper.optimizer.lrr: {type: uniform, lower: 0.1, upper: 1}\nsweep: {metric: acc/top1, mode: max}",
        "optim_wrapper.optimizer.lrr")]
    [InlineData("search_space:\n  optim_wrapper.optimizer.lr: {type: loguniform, lower: 0, upper: 0.1}\nsweep: {metric: acc/top1, mode: max}",
        "optim_wrapper.optimizer.lr.lower")]
    [InlineData("search_space:\n  optim_wrapper.optimizer.lr: {type: uniform, lower: 0.1, upper: 1}\nsweep: {metric: acc/top1, mode: max, workers_per_trial: 0}",
        "sweep.workers_per_trial")]
    [InlineData("search_space:\n  optim_wrapper.optimizer.lr: {type: uniform, lower: 0.1, upper: 1}\nsweep: {metric: acc/top1, mode: sideways}",
        "sweep.mode")]
    public void InvalidSpecNamesFileAndKeyBeforeConnecting(string body, string key)
    {
        var spec = specs.Write(body);

        var result = CliRunner.Run("sweep", "submit", spec, "--gateway", DeadGateway, "--json");

        AssertOneLineNaming(result, "spec.yaml", key);
        Assert.DoesNotContain("gateway", result.Error);
        Assert.Contains("\"status\":\"failed\"", Assert.Single(result.OutputLines)); // the --json failure line, no sweep id
    }

    [Theory]
    [InlineData("--set", "sweep.num_samples=0", "sweep.num_samples")]
    [InlineData("--set", "train_cfg.max_epochs=0", "train_cfg.max_epochs")]
    [InlineData("--device", "gpu7", "--device")]
    public void SubmitSettingsAreCheckedBeforeConnecting(string option, string value, string named)
    {
        var result = CliRunner.Run("sweep", "submit", DemoSweep, option, value, "--gateway", DeadGateway);

        AssertOneLineNaming(result, named);
        Assert.DoesNotContain("gateway", result.Error);
        Assert.Empty(result.OutputLines);
    }

    [Theory]
    [InlineData("--epochs", "0")]
    [InlineData("--workers", "0")]
    [InlineData("--device", "gpu7")]
    public void RetrainSettingsAreCheckedBeforeConnecting(string option, string value)
    {
        var result = CliRunner.Run("retrain", "--from-sweep", "some-sweep", option, value, "--gateway", DeadGateway);

        AssertOneLineNaming(result, option);
        Assert.DoesNotContain("gateway", result.Error);
    }

    [Theory]
    [InlineData("sweep", "submit", "DEMO")]
    [InlineData("sweep", "watch", "some-sweep")]
    [InlineData("sweep", "status", "some-sweep")]
    [InlineData("sweep", "list")]
    [InlineData("sweep", "cancel", "some-sweep")]
    [InlineData("sweep", "report", "some-sweep", "--out", "OUT")]
    [InlineData("retrain", "--from-sweep", "some-sweep")]
    public void UnreachableGatewayIsOneLineAndExit2(params string[] command)
    {
        var output = Path.Combine(Path.GetTempPath(), $"sweep-report-{Guid.NewGuid():N}");
        var args = command.Select(a => a switch { "DEMO" => DemoSweep, "OUT" => output, _ => a }).Concat(["--gateway", DeadGateway]).ToArray();

        var result = CliRunner.Run(args);

        AssertOneLineNaming(result, $"cannot reach the cluster gateway at {DeadGateway}: ");
        Assert.Empty(result.OutputLines);
        Assert.False(Directory.Exists(output)); // the report folder is only made once there is something to write
    }

    [Fact]
    public void MalformedGatewayIsNamed()
    {
        var result = CliRunner.Run("sweep", "status", "some-sweep", "--gateway", "host:notaport");

        AssertOneLineNaming(result, "--gateway 'host:notaport'", "host:port");
    }

    [Theory]
    [InlineData("sweep", "report", "some-sweep")] // --out is required
    [InlineData("sweep", "submit")] // the spec is required
    [InlineData("retrain")] // --from-sweep is required
    [InlineData("sweep", "frobnicate")]
    public void MissingArgumentsAreParseErrors(params string[] command)
    {
        var result = CliRunner.Run([.. command, "--gateway", DeadGateway]);

        Assert.Equal(2, result.ExitCode);
        Assert.EndsWith("(see --help)", Assert.Single(result.ErrorLines));
    }

    [Theory]
    [InlineData("sweep", "submit", "--detach")]
    [InlineData("sweep", "watch", "<id>")]
    [InlineData("sweep", "status", "--json")]
    [InlineData("sweep", "list", "--gateway")]
    [InlineData("sweep", "cancel", "--reason")]
    [InlineData("sweep", "report", "--out")]
    [InlineData("retrain", "", "--warm-start")]
    public void EveryCommandHasHelp(string first, string second, string mentioned)
    {
        var result = second == "" ? CliRunner.Run(first, "--help") : CliRunner.Run(first, second, "--help");

        Assert.Equal(0, result.ExitCode);
        Assert.Contains(mentioned, result.Output);
    }
}
