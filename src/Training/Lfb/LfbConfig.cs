namespace Cluster.Training.Lfb;

/// <summary><c>shared_head.lfb_cfg</c>: MMAction2's LFB arguments.</summary>
public sealed class LfbConfig
{
    /// <summary>A folder or blob prefix holding <c>lfb_{mode}.bank</c> for each of <see cref="DatasetModes"/>.</summary>
    public required string LfbPrefixPath { get; init; }
    public int MaxNumSampledFeat { get; init; } = 5;
    public int WindowSize { get; init; } = 60;
    public int LfbChannels { get; init; } = 2048;
    public List<string> DatasetModes { get; init; } = ["train", "val"];
    /// <summary>Accepted so MMAction2 configs bind ('gpu', 'cpu', 'lmdb'); the bank always lives in host memory, read
    /// once per process (<see cref="FeatureBankCache"/>), and the sampled window moves to the model's device.</summary>
    public string Device { get; init; } = "cpu";
}
