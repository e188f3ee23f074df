using Cluster.Tests.Client;
using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

public sealed class MergedConfigTextTests
{
    [Fact]
    public void A_merged_config_reloads_from_its_text_with_the_same_values()
    {
        var original = ConfigLoader.Load(CliRunner.RepositoryFile("configs/demo/tsn_tiny_synth.yaml"), ["optim_wrapper.optimizer.lr=0.005"]);

        var reloaded = ConfigLoader.LoadMerged(original.ToYaml(), "exp-1/config.yaml", ["train_cfg.max_epochs=2"]);

        Assert.Equal(0.005, Convert.ToDouble(reloaded.Get("optim_wrapper.optimizer.lr")));
        Assert.Equal(2L, Convert.ToInt64(reloaded.Get("train_cfg.max_epochs")));
        Assert.Equal(original.Get("model.cls_head.num_classes")?.ToString(), reloaded.Get("model.cls_head.num_classes")?.ToString());
        Assert.Equal("exp-1/config.yaml", reloaded.FileOf("model"));
    }

    [Fact]
    public void A_merged_config_text_naming_base_files_is_rejected()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadMerged("_base_: [a.yaml]\nmodel: {}\n", "exp-2/config.yaml"));

        Assert.Contains("exp-2/config.yaml", error.Message);
        Assert.Contains("_base_", error.Message);
    }

    [Fact]
    public void An_unknown_top_level_key_in_merged_text_is_rejected()
    {
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.LoadMerged("modle: {}\n", "exp-3/config.yaml"));

        Assert.Contains("modle", error.Message);
    }
}
