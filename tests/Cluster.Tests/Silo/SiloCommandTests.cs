namespace Cluster.Tests.Silo;

public class SiloCommandTests
{
    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var code = Cluster.Client.CommandLine.Run(["silo", .. args], output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData(new[] { "--mode", "swarm" }, "Cluster:Mode 'swarm' is unknown")]
    [InlineData(new[] { "--mode", "redis" }, "Cluster:Redis (host:port) is required")]
    [InlineData(new[] { "--silo-port", "7000", "--gateway-port", "7000" }, "Cluster:SiloPort and Cluster:GatewayPort are both 7000")]
    [InlineData(new[] { "--config", "/nonexistent/silo.json" }, "config file '/nonexistent/silo.json' does not exist")]
    public void Bad_settings_fail_with_one_line_and_exit_2_before_starting(string[] args, string expected)
    {
        var (code, output, error) = Run(args);

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Equal($"error: {expected}", error.TrimEnd().Split('\n').Single()[..($"error: {expected}".Length)]);
    }
}
