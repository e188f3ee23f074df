using Cluster.Client.Commands.Experiments;
using Cluster.Tests.Experiments;
using Cluster.Training.Configs;

namespace Cluster.Tests.Client;

/// <summary>The group size a submission asks for, from the config's workers / min_workers / max_workers and the flags.</summary>
public class GroupSizeTests
{
    private static ConfigDocument Demo(params string[] overrides) => ConfigLoader.Load(DemoDataset.Config("demo/tsn_tiny_synth.yaml"), overrides);

    [Theory]
    [InlineData(new string[0], null, null, 1, 1)]
    [InlineData(new[] { "workers=3" }, null, null, 3, 3)]
    [InlineData(new[] { "workers=3", "min_workers=2" }, null, null, 3, 2)]
    [InlineData(new[] { "workers=2", "max_workers=4", "min_workers=1" }, null, null, 4, 1)]
    [InlineData(new[] { "max_workers=4" }, null, null, 4, 4)]
    [InlineData(new[] { "workers=3", "min_workers=2" }, 5, null, 5, 2)]
    [InlineData(new[] { "workers=3" }, null, 1, 3, 1)]
    [InlineData(new string[0], 2, null, 2, 2)]
    [InlineData(new[] { "min_workers=3" }, 4, 2, 4, 2)]
    [InlineData(new[] { "min_workers=3" }, null, null, 3, 3)]
    [InlineData(new string[0], null, 2, 2, 2)]
    public void Config_keys_then_flags_decide_the_most_and_the_fewest(string[] overrides, int? workers, int? minWorkers, int max, int min)
    {
        Assert.Equal((max, min), GroupSize.Resolve(Demo(overrides), workers, minWorkers));
    }

    [Theory]
    [InlineData(new[] { "workers=0" }, null, null, "--set workers=0: workers: must be an integer of at least 1, got 0")]
    [InlineData(new[] { "max_workers=1.5" }, null, null, "--set max_workers=1.5: max_workers: must be an integer of at least 1, got 1.5")]
    [InlineData(new[] { "workers=2", "min_workers=3" }, null, null, "--set min_workers=3: min_workers: min_workers 3 is more than workers 2")]
    [InlineData(new[] { "min_workers=3" }, 2, null, "--set min_workers=3: min_workers: min_workers 3 is more than --workers 2")]
    public void A_bad_config_value_names_its_key(string[] overrides, int? workers, int? minWorkers, string message)
    {
        var e = Assert.Throws<ConfigException>(() => GroupSize.Resolve(Demo(overrides), workers, minWorkers));
        Assert.Equal(message, e.Message);
    }

    [Theory]
    [InlineData(0, null, "--workers 0: must be at least 1")]
    [InlineData(null, 0, "--min-workers 0: must be at least 1")]
    [InlineData(2, 3, "--min-workers 3 is more than --workers 2")]
    public void A_bad_flag_names_itself(int? workers, int? minWorkers, string message)
    {
        var e = Assert.Throws<ArgumentException>(() => GroupSize.Resolve(Demo(), workers, minWorkers));
        Assert.Equal(message, e.Message);
    }
}
