using Cluster.Abstractions.Experiments;
using Cluster.Grains.Experiments;
using Cluster.Tests.Experiments;
using Cluster.Training.Configs;

namespace Cluster.Tests.Grains;

public class SubmissionValidatorTests
{
    internal static string DemoYaml(params string[] overrides) =>
        ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"), overrides).ToYaml();

    [Fact]
    public void A_valid_demo_config_is_accepted_and_reports_its_epochs()
    {
        Assert.Equal(3, SubmissionValidator.Validate("exp-1", new ExperimentSpec("demo", DemoYaml("train_cfg.max_epochs=3"))));
    }

    [Theory]
    [InlineData("has space", "experiment id 'has space' may hold only letters, digits, '-', '_' and '.', and may not start with '.'")]
    [InlineData("a/b", "experiment id 'a/b' may hold only letters, digits, '-', '_' and '.', and may not start with '.'")]
    [InlineData("..", "experiment id '..' may hold only letters, digits, '-', '_' and '.', and may not start with '.'")]
    [InlineData("", "experiment id is empty")]
    public void Bad_ids_are_rejected(string id, string message)
    {
        var e = Assert.Throws<ExperimentRejectedException>(() => SubmissionValidator.Validate(id, new ExperimentSpec("demo", DemoYaml())));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void A_data_parallel_group_with_a_minimum_is_accepted()
    {
        Assert.Equal(2, SubmissionValidator.Validate("x", new ExperimentSpec("demo", DemoYaml("train_cfg.max_epochs=2"), Workers: 4, MinWorkers: 2)));
        Assert.Equal(2, SubmissionValidator.Validate("x", new ExperimentSpec("demo", DemoYaml("train_cfg.max_epochs=2"), Workers: 2)));
    }

    [Theory]
    [InlineData(0, 0, "experiment 'x': workers must be at least 1, got 0")]
    [InlineData(2, -1, "experiment 'x': min_workers must be at least 1, got -1")]
    [InlineData(2, 3, "experiment 'x': min_workers 3 is more than the 2 workers the group takes at most")]
    public void A_bad_group_size_is_rejected_naming_its_key(int workers, int minWorkers, string message)
    {
        var e = Assert.Throws<ExperimentRejectedException>(() =>
            SubmissionValidator.Validate("x", new ExperimentSpec("demo", DemoYaml(), Workers: workers, MinWorkers: minWorkers)));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void An_unknown_device_kind_is_rejected()
    {
        var e = Assert.Throws<ExperimentRejectedException>(() => SubmissionValidator.Validate("x", new ExperimentSpec("demo", DemoYaml(), DeviceKind: "tpu")));
        Assert.Equal("experiment 'x': unknown device kind 'tpu' (expected cuda or cpu)", e.Message);
    }

    [Fact]
    public void A_bad_config_is_rejected_with_its_one_line_message_naming_the_key()
    {
        var e = Assert.Throws<ExperimentRejectedException>(() =>
            SubmissionValidator.Validate("x", new ExperimentSpec("demo", DemoYaml("train_cfg.max_epochs=0"))));
        Assert.Equal("x/config.yaml: train_cfg.max_epochs: must be at least 1, got 0", e.Message);

        var unknownKey = Assert.Throws<ExperimentRejectedException>(() =>
            SubmissionValidator.Validate("x", new ExperimentSpec("demo", "modle: {}\n")));
        Assert.StartsWith("x/config.yaml: modle", unknownKey.Message);
        Assert.DoesNotContain('\n', unknownKey.Message);
    }
}
