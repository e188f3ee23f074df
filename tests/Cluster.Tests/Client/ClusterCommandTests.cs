namespace Cluster.Tests.Client;

/// <summary>The experiment commands against a real silo: an id the cluster never saw is one line and exit 2.</summary>
public sealed class ClusterCommandTests(TestSiloFixture silo) : IClassFixture<TestSiloFixture>
{
    [Theory]
    [InlineData("status")]
    [InlineData("cancel")]
    [InlineData("logs")]
    [InlineData("watch")]
    public void UnknownExperimentIdIsNamed(string command)
    {
        var result = CliRunner.Run(command, "no-such-run", "--gateway", silo.Gateway);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: unknown experiment 'no-such-run'", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void TopShowsTheSiloAndItsFreeSlot()
    {
        var result = CliRunner.Run("top", "--once", "--gateway", silo.Gateway);

        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("cpu:0", result.Output);
        Assert.Contains("free", result.Output);
        Assert.Contains("1 silos alive", result.Output);
    }
}
