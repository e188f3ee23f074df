using Cluster.Tests.Client;
using Cluster.Training.Configs;
using Cluster.Training.Sweeps;

namespace Cluster.Tests.Sweeps;

// The sweep specs shipped under configs/ (configs/**/sweep_*.yaml), read from the repository.
public class ShippedSweepSpecTests
{
    private static readonly string Demo = CliRunner.RepositoryFile(Path.Combine("configs", "demo", "sweep_tiny_synth.yaml"));

    public static TheoryData<string> SweepSpecFiles() => new(Directory
        .EnumerateFiles(CliRunner.RepositoryFile("configs"), "sweep_*.yaml", SearchOption.AllDirectories).Order());

    [Theory]
    [MemberData(nameof(SweepSpecFiles))]
    public void EverySweepSpecLoadsAndItsFirstTrialIsAValidTrainingConfig(string path)
    {
        var spec = SweepSpecLoader.Load(path);
        var parameters = spec.CreateSearcher().Suggest(0, [])!;
        var trial = ConfigLoader.LoadMerged(spec.TrialConfigYaml(parameters), "trial 0");
        Assert.All(parameters, p => Assert.Equal(p.Value, trial.Get(p.Key)));
    }

    [Fact]
    public void TheExampleInConfigsReadmeLoads()
    {
        var readme = File.ReadAllText(CliRunner.RepositoryFile(Path.Combine("configs", "README.md")));
        var section = readme[readme.IndexOf("## Sweeps", StringComparison.Ordinal)..];
        var start = section.IndexOf("```yaml\n", StringComparison.Ordinal) + "```yaml\n".Length;
        var example = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        using var files = new SweepSpecFiles();
        var spec = SweepSpecLoader.Load(files.Write(example.Replace("_base_: tsn_tiny_synth.yaml", "")));
        Assert.Equal(6, spec.SearchSpace.Count);
        Assert.Equal(8, spec.TotalTrials); // random search draws the grid key like a choice
        Assert.Equal(new AshaSchedulerSettings(1, 2, 8), spec.Settings.Scheduler);
    }

    [Fact]
    public void TheDemoIsAnEightTrialAshaSweepOverLearningRateAndWeightDecayOnSyntheticSetA()
    {
        var spec = SweepSpecLoader.Load(Demo);
        Assert.Equal(8, spec.TotalTrials);
        Assert.Equal(
            ["optim_wrapper.optimizer.lr", "optim_wrapper.optimizer.weight_decay"],
            spec.SearchSpace.Select(d => d.KeyPath));
        Assert.IsType<LogUniformDistribution>(spec.SearchSpace[0].Distribution);
        var asha = Assert.IsType<AshaSchedulerSettings>(spec.Settings.Scheduler);
        var trial = ConfigLoader.LoadMerged(spec.BaseConfigYaml, "base");
        // ASHA's budget is the whole (short) training, and there are rungs below it to stop trials at.
        Assert.Equal(trial.Get("train_cfg.max_epochs"), (long)asha.MaxT);
        Assert.InRange(asha.MaxT, 4, 8);
        Assert.NotEmpty(AshaScheduler.Milestones(asha));
        Assert.Equal(("acc/top1", MetricMode.Max), (spec.Settings.Metric, spec.Settings.Mode));
        Assert.Equal("data/synth_a/train_list.txt", trial.Get("train_dataloader.dataset.ann_file"));
    }
}
