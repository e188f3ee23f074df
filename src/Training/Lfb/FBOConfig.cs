using Cluster.Training.Configs;

namespace Cluster.Training.Lfb;

/// <summary><c>shared_head.fbo_cfg</c>: which feature bank operator FBOHead applies (<c>type</c>: non_local, avg, max).</summary>
public abstract class FBOConfig
{
    /// <param name="stChannels">Channels of the short-term RoI feature.</param>
    /// <param name="ltChannels">Channels of the bank (<c>lfb_cfg.lfb_channels</c>).</param>
    /// <param name="numLtFeat">Long-term slots, window_size × max_num_sampled_feat.</param>
    /// <param name="keyPath">Of this section, for error messages.</param>
    public abstract FeatureBankOperator Build(int stChannels, int ltChannels, int numLtFeat, string keyPath);
}

[ConfigType("avg")]
public sealed class FBOAvgConfig : FBOConfig
{
    public override FeatureBankOperator Build(int stChannels, int ltChannels, int numLtFeat, string keyPath) => new FBOAvg(ltChannels);
}

[ConfigType("max")]
public sealed class FBOMaxConfig : FBOConfig
{
    public override FeatureBankOperator Build(int stChannels, int ltChannels, int numLtFeat, string keyPath) => new FBOMax(ltChannels);
}

/// <summary>
/// MMAction2's FBONonLocal arguments. The channel and slot counts may be left out: they follow from the RoI features
/// and <c>lfb_cfg</c>; when given they must agree with them.
/// </summary>
[ConfigType("non_local")]
public sealed class FBONonLocalConfig : FBOConfig
{
    public int? StFeatChannels { get; init; }
    public int? LtFeatChannels { get; init; }
    public int LatentChannels { get; init; } = 512;
    public int NumStFeat { get; init; } = 1;
    public int? NumLtFeat { get; init; }
    public int NumNonLocalLayers { get; init; } = 2;
    public double StFeatDropoutRatio { get; init; } = 0.2;
    public double LtFeatDropoutRatio { get; init; } = 0.2;
    public bool PreActivate { get; init; } = true;
    public bool ZeroInitOutConv { get; init; }

    public override FeatureBankOperator Build(int stChannels, int ltChannels, int numLtFeat, string keyPath)
    {
        Agree(StFeatChannels, stChannels, $"{keyPath}.st_feat_channels", "the RoI features' channels");
        Agree(LtFeatChannels, ltChannels, $"{keyPath}.lt_feat_channels", "lfb_cfg.lfb_channels");
        Agree(NumLtFeat, numLtFeat, $"{keyPath}.num_lt_feat", "lfb_cfg.window_size × max_num_sampled_feat");
        if (NumStFeat != 1) throw new ArgumentException($"{keyPath}.num_st_feat: FBOHead pools each RoI to one short-term feature, got {NumStFeat}");
        if (LatentChannels < 1) throw new ArgumentException($"{keyPath}.latent_channels: must be at least 1, got {LatentChannels}");
        if (NumNonLocalLayers < 1) throw new ArgumentException($"{keyPath}.num_non_local_layers: at least one non-local layer is needed, got {NumNonLocalLayers}");
        Ratio(StFeatDropoutRatio, $"{keyPath}.st_feat_dropout_ratio");
        Ratio(LtFeatDropoutRatio, $"{keyPath}.lt_feat_dropout_ratio");
        return new FBONonLocal(stChannels, ltChannels, LatentChannels, NumStFeat, numLtFeat, NumNonLocalLayers,
            StFeatDropoutRatio, LtFeatDropoutRatio, PreActivate, ZeroInitOutConv);
    }

    private static void Agree(int? given, int actual, string key, string what)
    {
        if (given is { } value && value != actual) throw new ArgumentException($"{key}: {value} does not match {what} ({actual})");
    }

    private static void Ratio(double value, string key)
    {
        if (value is < 0 or >= 1) throw new ArgumentException($"{key}: must be in [0, 1), got {value}");
    }
}
