namespace Cluster.Tests.Client;

public class ConfigPrintTests
{
    [Fact]
    public void PrintsTheMergedFineTuneConfigWithOverrides()
    {
        var result = CliRunner.Run("config", "print",
            CliRunner.RepositoryFile("configs/recognition/tsn/tsn_r50_finetune_ucf101.yaml"),
            "--set", "optim_wrapper.optimizer.momentum=0.8");

        Assert.Equal(0, result.ExitCode);
        Assert.Empty(result.Error);
        // From the child: the replaced class count and lr; from the bases: depth 50 and the TSN head type.
        Assert.Contains("num_classes: 101", result.Output);
        Assert.Contains("lr: 0.005", result.Output);
        Assert.Contains("depth: 50", result.Output);
        Assert.Contains("type: TSNHead", result.Output);
        Assert.Contains("momentum: 0.8", result.Output);
        Assert.DoesNotContain("_base_", result.Output);
    }

    [Fact]
    public void HelpIsAvailableOnEveryCommand()
    {
        foreach (var command in new[]
        {
            new[] { "train" }, ["test"], ["config", "print"], ["data", "synth", "ucf"], ["demo"],
            ["list"], ["status"], ["watch"], ["cancel"], ["logs"], ["top"],
        })
        {
            var result = CliRunner.Run([.. command, "--help"]);
            Assert.Equal(0, result.ExitCode);
            Assert.Contains("Usage:", result.Output);
        }
    }
}
