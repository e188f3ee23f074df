using Cluster.Training.Data.Detection;
using Cluster.Training.Models.Detectors;
using Cluster.Training.Models.Init;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// MMAction2's FBOHead: the short-term feature of each RoI (temporal avg, then spatial max, of its RoI features
/// [R, C, T, H, W]) → [R, C, 1, 1, 1]; its long-term window from the bank ([R, C_lt, W·K, 1, 1], see
/// <see cref="LfbWindowSampler"/>); output concat(short-term, fbo(short-term, long-term)) on channels.
/// The operator's parameters are under <c>fbo.</c> as in MMAction2 checkpoints.
/// </summary>
public sealed class FBOHead : RoiSharedHead, IInitWeights
{
    private readonly FeatureBankOperator fbo;
    private readonly LfbWindowSampler sampler;
    private readonly Lazy<FeatureBank> bank;
    private readonly string bankSource;
    private readonly int inChannels, ltChannels;
    private readonly bool temporalMax, spatialMax;

    /// <param name="ltChannels">The bank's channels (<c>lfb_cfg.lfb_channels</c>).</param>
    /// <param name="bankSource">Where the bank comes from, for error messages.</param>
    public FBOHead(string name, int inChannels, int ltChannels, FeatureBankOperator fbo, LfbWindowSampler sampler,
        Func<FeatureBank> bank, string bankSource, bool temporalMax = false, bool spatialMax = true) : base(name)
    {
        this.fbo = fbo;
        this.sampler = sampler;
        // Not ExecutionAndPublication: that would keep a failed read's exception (the cache already reads each bank once).
        this.bank = new Lazy<FeatureBank>(bank, LazyThreadSafetyMode.PublicationOnly);
        this.bankSource = bankSource;
        this.inChannels = inChannels;
        this.ltChannels = ltChannels;
        this.temporalMax = temporalMax;
        this.spatialMax = spatialMax;
        RegisterComponents();
    }

    public override int OutChannels => inChannels + fbo.OutChannels;

    /// <summary>The generator the window sampler draws from; torch's global one when null (MMAction2's behaviour).</summary>
    public Generator? Generator { get; set; }

    /// <summary>The bank this head reads (read at the first call).</summary>
    /// <exception cref="InvalidOperationException">Its channels differ from <c>lfb_cfg.lfb_channels</c>.</exception>
    public FeatureBank Bank
    {
        get
        {
            var value = bank.Value;
            if (value.Channels != ltChannels)
                throw new InvalidOperationException(
                    $"feature bank '{bankSource}' has {value.Channels} channels; lfb_cfg.lfb_channels is {ltChannels}");
            return value;
        }
    }

    public void InitWeights(IPretrainedLoader? loader) => fbo.InitWeights();

    public override Tensor forward(Tensor roiFeatures, IReadOnlyList<RoiInfo> rois)
    {
        if (roiFeatures.shape[0] != rois.Count)
            throw new ArgumentException($"{roiFeatures.shape[0]} RoI features but {rois.Count} RoIs");
        using var scope = NewDisposeScope();
        var temporal = temporalMax ? roiFeatures.amax([2], keepdim: true) : roiFeatures.mean([2], keepdim: true);
        var shortTerm = spatialMax ? temporal.amax([3, 4], keepdim: true) : temporal.mean([3, 4], keepdim: true);
        var keys = rois.Select(r => r.Key).ToList();
        var longTerm = SampleLongTerm(keys).to(shortTerm.dtype, shortTerm.device).unsqueeze(-1).unsqueeze(-1);
        var fused = fbo.forward(shortTerm, longTerm);
        return cat([shortTerm, fused], 1).MoveToOuterDisposeScope();
    }

    private Tensor SampleLongTerm(IReadOnlyList<Data.Ava.AvaKey> keys)
    {
        try
        {
            return sampler.Sample(Bank, keys, Generator);
        }
        catch (KeyNotFoundException missing)
        {
            throw new KeyNotFoundException($"{missing.Message} '{bankSource}'", missing);
        }
    }
}
