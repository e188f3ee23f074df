using Cluster.Silo;

namespace Cluster.Tests.Silo;

public class ClusterSiloOptionsTests
{
    private static Dictionary<string, string?> Cluster(params (string Key, string Value)[] values) =>
        values.ToDictionary(v => $"Cluster:{v.Key}", v => (string?)v.Value);

    [Fact]
    public void Defaults_are_embedded_with_artifacts_under_the_state_root()
    {
        var options = ClusterConfiguration.Load(overrides: Cluster(("StateRoot", "/tmp/cluster-state")));

        Assert.False(options.IsRedis);
        Assert.Equal(11111, options.SiloPort);
        Assert.Equal(30000, options.GatewayPort);
        Assert.Equal("/tmp/cluster-state/artifacts", options.ResolvedStorage().Path);
    }

    [Fact]
    public void A_config_file_is_read_and_overrides_win_over_it()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("cluster-config-").FullName, "appsettings.json");
        File.WriteAllText(file, """{ "Cluster": { "Mode": "redis", "Redis": "10.0.0.5:6379", "CpuSlots": 3, "Membership": { "ProbeTimeout": "00:00:04" } } }""");

        var options = ClusterConfiguration.Load(file, Cluster(("CpuSlots", "5")));

        Assert.True(options.IsRedis);
        Assert.Equal("10.0.0.5:6379", options.Redis);
        Assert.Equal(5, options.CpuSlots);
        Assert.Equal(TimeSpan.FromSeconds(4), options.Membership.ProbeTimeout);
    }

    [Fact]
    public void Experiment_supervision_is_configurable_and_its_reminder_respects_the_minimum_period()
    {
        var options = ClusterConfiguration.Load(overrides: Cluster(("Experiments:ReminderPeriod", "00:00:20"), ("Experiments:SupervisionInterval", "00:00:01")));

        Assert.Equal(TimeSpan.FromSeconds(20), options.Experiments.ReminderPeriod);
        Assert.Equal(TimeSpan.FromSeconds(1), options.Experiments.SupervisionInterval);
        var error = Assert.Throws<ArgumentException>(() => ClusterConfiguration.Load(overrides: Cluster(("Experiments:ReminderPeriod", "00:00:02"))));
        Assert.Contains("Cluster:Experiments:ReminderPeriod", error.Message);
    }

    [Theory]
    [InlineData("Mode", "swarm", "Cluster:Mode 'swarm' is unknown")]
    [InlineData("SiloPort", "70000", "Cluster:SiloPort 70000 is not a port")]
    [InlineData("CpuSlots", "0", "Cluster:CpuSlots must be at least 1")]
    [InlineData("Devices", "tpu", "Cluster:Devices 'tpu' is unknown")]
    [InlineData("AdvertisedIp", "not-an-ip", "Cluster:AdvertisedIp 'not-an-ip' is not an IP address")]
    [InlineData("Storage:Kind", "s3", "Cluster:Storage: artifact store kind 's3' is unknown")]
    [InlineData("Experiments:MissesBeforeLost", "0", "Cluster:Experiments:SupervisionInterval and UnreachableBeforeLost must be positive and MissesBeforeLost at least 1")]
    [InlineData("Experiments:UnreachableBeforeLost", "00:00:00", "Cluster:Experiments:SupervisionInterval and UnreachableBeforeLost must be positive")]
    public void A_bad_value_is_one_line_naming_its_key(string key, string value, string expected)
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterConfiguration.Load(overrides: Cluster((key, value))));

        Assert.StartsWith(expected, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void Redis_mode_needs_a_redis_endpoint()
    {
        var e = Assert.Throws<ArgumentException>(() => ClusterConfiguration.Load(overrides: Cluster(("Mode", "redis"))));

        Assert.Contains("Cluster:Redis", e.Message);
    }

    [Fact]
    public void A_missing_config_file_is_named()
    {
        var e = Assert.Throws<FileNotFoundException>(() => ClusterConfiguration.Load("/nonexistent/cluster.json"));

        Assert.Contains("/nonexistent/cluster.json", e.Message);
    }
}
