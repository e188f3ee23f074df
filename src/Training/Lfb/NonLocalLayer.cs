using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// MMAction2's NonLocalLayer of FBONonLocal: θ = conv(st), φ = conv(lt), g = conv(lt); attention
/// A = softmax(θᵀφ / √latent) over the long-term slots; out = g·Aᵀ, then
/// pre-activated: out_conv(ReLU(LayerNorm(out))), else LayerNorm(out_conv(out)); then dropout (ratio 0.2, as
/// FBONonLocal never passes another). LayerNorm normalises [channels, num_st_feat, 1, 1].
/// </summary>
public sealed class NonLocalLayer : nn.Module<Tensor, Tensor, Tensor>
{
    private readonly PointwiseConv st_feat_conv;
    private readonly PointwiseConv lt_feat_conv;
    private readonly PointwiseConv global_conv;
    private readonly LayerNorm ln;
    private readonly ReLU relu;
    private readonly PointwiseConv out_conv;
    private readonly Dropout? dropout;
    private readonly int latentChannels, numStFeat, numLtFeat;
    private readonly bool preActivate, useScale, zeroInitOutConv;
    // Held by the module, not made by an implicit double → Scalar conversion per call: TorchSharp 0.107 never disposes
    // those, and the finalizer freed one during the native division it was passed to (CI: "Expected false to be true"
    // from c10::Scalar::toDouble inside div).
    private readonly Scalar attentionScale;

    public NonLocalLayer(int stChannels, int ltChannels, int latentChannels, int numStFeat, int numLtFeat,
        bool preActivate, bool useScale = true, double dropoutRatio = 0.2, bool zeroInitOutConv = false)
        : base(nameof(NonLocalLayer))
    {
        this.latentChannels = latentChannels;
        this.numStFeat = numStFeat;
        this.numLtFeat = numLtFeat;
        this.preActivate = preActivate;
        this.useScale = useScale;
        attentionScale = Math.Sqrt(latentChannels).ToScalar();
        this.zeroInitOutConv = zeroInitOutConv;
        st_feat_conv = new PointwiseConv(stChannels, latentChannels);
        lt_feat_conv = new PointwiseConv(ltChannels, latentChannels);
        global_conv = new PointwiseConv(ltChannels, latentChannels);
        ln = nn.LayerNorm([preActivate ? latentChannels : stChannels, numStFeat, 1, 1]);
        relu = nn.ReLU();
        out_conv = new PointwiseConv(latentChannels, stChannels);
        dropout = dropoutRatio > 0 ? nn.Dropout(dropoutRatio) : null;
        RegisterComponents();
    }

    /// <summary>Kaiming on every conv (LayerNorm keeps weight 1, bias 0). <c>zero_init_out_conv</c> zeroes out_conv's
    /// weight and bias (MMAction2 means to; its constant_init on the ConvModule wrapper leaves it as it was).</summary>
    public void InitWeights()
    {
        foreach (var conv in new[] { st_feat_conv, lt_feat_conv, global_conv, out_conv }) PointwiseConv.KaimingInit(conv.Conv);
        if (zeroInitOutConv) ModuleInitializers.Apply(out_conv.Conv, new ConstantInitConfig { Val = 0 });
    }

    public override Tensor forward(Tensor stFeat, Tensor ltFeat)
    {
        using var scope = NewDisposeScope();
        long n = stFeat.shape[0];
        var theta = st_feat_conv.forward(stFeat).view(n, latentChannels, numStFeat);
        var phi = lt_feat_conv.forward(ltFeat).view(n, latentChannels, numLtFeat);
        var g = global_conv.forward(ltFeat).view(n, latentChannels, numLtFeat);
        var thetaPhi = matmul(theta.permute(0, 2, 1), phi); // [n, num_st, num_lt]
        if (useScale) thetaPhi = thetaPhi.div(attentionScale);
        var attention = thetaPhi.softmax(-1);
        var output = matmul(g, attention.permute(0, 2, 1)).view(n, latentChannels, numStFeat, 1, 1);
        if (preActivate) output = relu.forward(ln.forward(output));
        output = out_conv.forward(output);
        if (!preActivate) output = ln.forward(output);
        if (dropout is not null) output = dropout.forward(output);
        return output.MoveToOuterDisposeScope();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) attentionScale.Dispose();
        base.Dispose(disposing);
    }
}
