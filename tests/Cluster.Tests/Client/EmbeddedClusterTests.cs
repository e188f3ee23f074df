namespace Cluster.Tests.Client;

/// <summary>
/// With no gateway configured a command starts its own embedded silo (here in a temp CLUSTER_HOME) and the state it
/// leaves is what the next command's silo reads.
/// </summary>
[Collection(EmbeddedClusterCollection.Name)]
public sealed class EmbeddedClusterTests : IDisposable
{
    private readonly string home = Directory.CreateTempSubdirectory("cli-embedded-").FullName;

    public EmbeddedClusterTests() => Environment.SetEnvironmentVariable("CLUSTER_HOME", home);

    public void Dispose()
    {
        Environment.SetEnvironmentVariable("CLUSTER_HOME", null);
        Directory.Delete(home, recursive: true);
    }

    [Fact]
    public void EachCommandRunsItsOwnSiloOnTheSameState()
    {
        var top = CliRunner.Run("top", "--once");
        Assert.True(top.ExitCode == 0, top.Error);
        Assert.Contains("1 silos alive (0 gone)", top.Output);
        Assert.True(Directory.Exists(Path.Combine(home, "grains")), "grain state lives in CLUSTER_HOME");

        var status = CliRunner.Run("status", "no-such-run");
        Assert.Equal(2, status.ExitCode);
        Assert.Equal("error: unknown experiment 'no-such-run'", Assert.Single(status.ErrorLines));

        var again = CliRunner.Run("top", "--once");
        Assert.Contains("1 silos alive (2 gone)", again.Output); // the silos of the first two commands stopped with them
    }
}

/// <summary>CLUSTER_* variables are process-wide: tests that set them run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EmbeddedClusterCollection
{
    public const string Name = "Client environment (CLUSTER_*)";
}
