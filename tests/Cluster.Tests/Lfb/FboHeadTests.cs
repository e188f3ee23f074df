using Cluster.Training.Configs;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Lfb;
using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Lfb;

public sealed class FboHeadTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lfb-head-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private SharedHeadConfig Bind(string sharedHead)
    {
        string path = Path.Combine(folder, "head.yaml");
        File.WriteAllText(path, "shared_head: " + sharedHead + "\n");
        return ConfigBinder.Bind<SharedHeadConfig>(ConfigLoader.LoadUnvalidated(path), "shared_head");
    }

    private static List<RoiInfo> Rois(params (string Video, int Second)[] keys) =>
        keys.Select((k, i) => new RoiInfo(new AvaKey(k.Video, k.Second), new NormalizedBox(0.1f, 0.1f, 0.5f, 0.5f), i)).ToList();

    [Theory]
    [InlineData("avg", 3)]
    [InlineData("max", 3)]
    [InlineData("non_local", 8)]
    public void ConfiguredHeadReadsItsBanksAndConcatenates(string fbo, int fboChannels)
    {
        foreach (var (split, first) in new[] { ("train", 0), ("val", 5) })
            FeatureBankFile.Save(BankSamples.Make(2, 6, 3, first), FeatureBankCache.SplitReference(folder, split), FeatureBankDtype.Float32);
        var config = Bind($"{{type: FBOHead, lfb_cfg: {{lfb_prefix_path: '{folder}', window_size: 4, max_num_sampled_feat: 2, " +
                          $"lfb_channels: 3, device: gpu}}, fbo_cfg: {{type: {fbo}, latent_channels: 8}}}}".Replace(", latent_channels: 8", fbo == "non_local" ? ", latent_channels: 8" : ""));
        using var head = config.Build("roi_head.shared_head", 6);
        Assert.Equal(6 + fboChannels, head.OutChannels);
        head.eval();

        using var features = randn([3, 6, 2, 3, 3]);
        using var output = head.forward(features, Rois(("vid1", 902), ("vid5", 903), ("vid6", 900)));
        Assert.Equal([3L, 6 + fboChannels, 1, 1, 1], output.shape);
        // The first channels are the short-term feature: temporal mean, then spatial max.
        using var shortTerm = features.mean([2]).amax([2, 3]);
        Assert.True(output.narrow(1, 0, 6).flatten(1).allclose(shortTerm, rtol: 0, atol: 1e-6));
    }

    [Fact]
    public void AvgOverTheWindowCountsPaddingAsZeros()
    {
        var bank = new FeatureBank(2);
        bank.Add("v", 10, [4, 8]);
        bank.Add("v", 11, [2, 2, 6, 6]);
        var config = new FBOHeadConfig
        {
            LfbCfg = new LfbConfig { LfbPrefixPath = "memory", WindowSize = 4, MaxNumSampledFeat = 2, LfbChannels = 2 },
            FboCfg = new FBOAvgConfig(),
        };
        using var head = config.Build("shared_head", 1, () => bank);
        using var output = head.forward(ones([1, 1, 1, 1, 1]), Rois(("v", 11)));
        // Window 9…12, 8 slots: (4 + 2 + 6) / 8 and (8 + 2 + 6) / 8.
        Assert.Equal([1f, 1.5f, 2f], output.flatten().data<float>().ToArray());
    }

    [Fact]
    public void MismatchedSettingsAreNamed()
    {
        var bank = new FeatureBank(4);
        bank.Add("v", 1, [1, 2, 3, 4]);
        var config = new FBOHeadConfig
        {
            LfbCfg = new LfbConfig { LfbPrefixPath = "p", WindowSize = 2, MaxNumSampledFeat = 2, LfbChannels = 3 },
            FboCfg = new FBOMaxConfig(),
        };
        using var head = config.Build("roi_head.shared_head", 2, () => bank);
        var error = Assert.Throws<InvalidOperationException>(() => head.forward(ones([1, 2, 1, 1, 1]), Rois(("v", 1))));
        Assert.Equal("feature bank 'p' has 4 channels; lfb_cfg.lfb_channels is 3", error.Message);

        var nonLocal = new FBOHeadConfig { LfbCfg = config.LfbCfg, FboCfg = new FBONonLocalConfig { NumLtFeat = 300 } };
        Assert.Equal("roi_head.shared_head.fbo_cfg.num_lt_feat: 300 does not match lfb_cfg.window_size × max_num_sampled_feat (4)",
            Assert.Throws<ArgumentException>(() => nonLocal.Build("roi_head.shared_head", 2, () => bank)).Message);

        var badKey = Assert.Throws<ConfigException>(() => Bind("{type: FBOHead, lfb_cfg: {lfb_prefix_path: x, windw_size: 3}, fbo_cfg: {type: avg}}"));
        Assert.Contains("windw_size", badKey.Message);
    }

    [Fact]
    public void AVideoMissingFromTheBankIsNamed()
    {
        var bank = new FeatureBank(1);
        bank.Add("v", 1, [1]);
        var config = new FBOHeadConfig
        {
            LfbCfg = new LfbConfig { LfbPrefixPath = "/banks/b7", WindowSize = 2, MaxNumSampledFeat = 1, LfbChannels = 1 },
            FboCfg = new FBOAvgConfig(),
        };
        using var head = config.Build("shared_head", 1, () => bank);
        var error = Assert.Throws<KeyNotFoundException>(() => head.forward(ones([1, 1, 1, 1, 1]), Rois(("w", 1))));
        Assert.Equal("video 'w' has no features in the long-term feature bank '/banks/b7'", error.Message);
    }
}
