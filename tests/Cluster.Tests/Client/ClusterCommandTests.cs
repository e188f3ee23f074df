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

    [Fact]
    public void AGroupSizeTheClientRefusesIsOneLineAndLeavesNoExperiment()
    {
        // Only the cluster knows its device kinds' slots; the client checks the group size first (--min-workers > --workers).
        var result = CliRunner.Run("train", CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"), "--workers", "2",
            "--min-workers", "3", "--gateway", silo.Gateway);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("error: --min-workers 3 is more than --workers 2", Assert.Single(result.ErrorLines));
        Assert.Empty(result.OutputLines); // no id printed: nothing was submitted

        var list = CliRunner.Run("list", "--gateway", silo.Gateway);
        Assert.Equal("no experiments", Assert.Single(list.OutputLines));
    }
}
