using Cluster.Tests.Client;

namespace Cluster.Tests.LfbCluster;

/// <summary>
/// `cluster lfb` with bad input: one line on stderr naming what is wrong, exit 2, and no cluster contacted (the
/// checks run before any connection, so nothing is created: no embedded silo folder either).
/// </summary>
public sealed class LfbCliErrorTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("lfb-cli-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    private static string DemoConfig => CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml");

    private CliRunner.Result Compute(params string[] args) =>
        CliRunner.Run(["lfb", "compute", .. args, "--gateway", "127.0.0.1:1"]);

    [Theory]
    [InlineData("--split", "test", "--split 'test'")]
    [InlineData("--dtype", "float64", "--dtype 'float64'")]
    [InlineData("--shards", "0", "--shards 0")]
    [InlineData("--bank", "../up", "--bank '../up'")]
    public void BadOptionsAreOneLineErrors(string option, string value, string expected)
    {
        var args = new List<string> { DemoConfig, "--split", "train" };
        int at = args.IndexOf(option);
        if (at >= 0) args[at + 1] = value;
        else args.AddRange([option, value]);

        var result = Compute([.. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void AMissingConfigIsNamed()
    {
        var result = Compute(Path.Combine(directory, "nope.yaml"), "--split", "val");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("nope.yaml", Assert.Single(result.ErrorLines));
    }

    [Fact]
    public void AConfigWhoseSplitIsNotAnAvaDatasetIsRefusedNamingTheKey()
    {
        var result = Compute(DemoConfig, "--split", "val");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.ErrorLines);
        Assert.Contains("tsn_tiny_synth.yaml", line);
        Assert.Contains("val_dataloader.dataset", line);
    }

    [Fact]
    public void InfoOfAMissingOrDamagedBankIsAOneLineError()
    {
        var missing = CliRunner.Run("lfb", "info", Path.Combine(directory, "none.bank"));
        var damaged = Path.Combine(directory, "damaged.bank");
        File.WriteAllText(damaged, "not a feature bank at all, just some text that is long enough");
        var bad = CliRunner.Run("lfb", "info", damaged);

        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("none.bank", Assert.Single(missing.ErrorLines));
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("damaged.bank", Assert.Single(bad.ErrorLines));
    }

    [Fact]
    public void InfoShowsTheBanksVideosSecondsPersonsChannelsDtypeAndBytes()
    {
        var bank = new Cluster.Training.Lfb.FeatureBank(4);
        bank.Add("vid1", 901, new float[8]);
        bank.Add("vid1", 902, new float[4]);
        bank.Add("vid2", 901, new float[12]);
        string path = Path.Combine(directory, "lfb_val.bank");
        Cluster.Training.Lfb.FeatureBankFile.Save(bank, path, Cluster.Training.Lfb.FeatureBankDtype.Float16);

        var result = CliRunner.Run("lfb", "info", path);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal([path, "videos    2", "seconds   3", "persons   6", "channels  4", "dtype     float16",
            $"bytes     {new FileInfo(path).Length}"], result.OutputLines);
    }
}
