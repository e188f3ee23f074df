using Cluster.Training.Configs;
using Cluster.Training.Models.Detectors;

namespace Cluster.Training.Lfb;

/// <summary>
/// <c>roi_head.shared_head: {type: FBOHead, lfb_cfg, fbo_cfg, temporal_pool_type, spatial_pool_type}</c>:
/// MMAction2's FBOHead, which adds long-term feature bank context to each RoI feature.
/// </summary>
[ConfigType("FBOHead")]
public sealed class FBOHeadConfig : SharedHeadConfig
{
    public required LfbConfig LfbCfg { get; init; }
    public required FBOConfig FboCfg { get; init; }
    /// <summary>"avg" or "max".</summary>
    public string TemporalPoolType { get; init; } = "avg";
    /// <summary>"avg" or "max".</summary>
    public string SpatialPoolType { get; init; } = "max";

    /// <summary>The bank is read at the first forward, through <see cref="FeatureBankCache.Shared"/>.</summary>
    public override RoiSharedHead Build(string name, int inChannels) =>
        Build(name, inChannels, () => FeatureBankCache.Shared.GetSplits(LfbCfg.LfbPrefixPath, LfbCfg.DatasetModes));

    /// <param name="bank">Gives the bank at the first forward (tests pass one directly).</param>
    public FBOHead Build(string name, int inChannels, Func<FeatureBank> bank)
    {
        Check(name);
        var fbo = FboCfg.Build(inChannels, LfbCfg.LfbChannels, LfbCfg.WindowSize * LfbCfg.MaxNumSampledFeat, $"{name}.fbo_cfg");
        return new FBOHead(name, inChannels, LfbCfg.LfbChannels, fbo, new LfbWindowSampler(LfbCfg.WindowSize, LfbCfg.MaxNumSampledFeat),
            bank, LfbCfg.LfbPrefixPath, TemporalPoolType == "max", SpatialPoolType == "max");
    }

    private void Check(string name)
    {
        if (string.IsNullOrWhiteSpace(LfbCfg.LfbPrefixPath)) throw new ArgumentException($"{name}.lfb_cfg.lfb_prefix_path: must not be empty");
        if (LfbCfg.WindowSize < 1) throw new ArgumentException($"{name}.lfb_cfg.window_size: must be at least 1, got {LfbCfg.WindowSize}");
        if (LfbCfg.MaxNumSampledFeat < 1)
            throw new ArgumentException($"{name}.lfb_cfg.max_num_sampled_feat: must be at least 1, got {LfbCfg.MaxNumSampledFeat}");
        if (LfbCfg.LfbChannels < 1) throw new ArgumentException($"{name}.lfb_cfg.lfb_channels: must be at least 1, got {LfbCfg.LfbChannels}");
        if (LfbCfg.DatasetModes.Count == 0) throw new ArgumentException($"{name}.lfb_cfg.dataset_modes: name at least one split");
        if (LfbCfg.Device is not ("cpu" or "gpu" or "lmdb"))
            throw new ArgumentException($"{name}.lfb_cfg.device: '{LfbCfg.Device}' is not 'cpu', 'gpu' or 'lmdb'");
        if (TemporalPoolType is not ("avg" or "max")) throw new ArgumentException($"{name}.temporal_pool_type: '{TemporalPoolType}' is not 'avg' or 'max'");
        if (SpatialPoolType is not ("avg" or "max")) throw new ArgumentException($"{name}.spatial_pool_type: '{SpatialPoolType}' is not 'avg' or 'max'");
    }
}
