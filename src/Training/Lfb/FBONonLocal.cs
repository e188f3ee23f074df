using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Lfb;

/// <summary>
/// MMAction2's FBONonLocal: 1×1×1 convs (+ dropout) project short- and long-term features to the latent channels, then
/// per layer st = st + NonLocalLayer(st, lt) (ReLU after the sum when not pre-activated). Layers are named
/// <c>non_local_layer_1</c>, <c>non_local_layer_2</c>, … as in MMAction2 checkpoints.
/// </summary>
public sealed class FBONonLocal : FeatureBankOperator
{
    private readonly Conv3d st_feat_conv;
    private readonly Conv3d lt_feat_conv;
    private readonly Dropout? st_feat_dropout;
    private readonly Dropout? lt_feat_dropout;
    private readonly ReLU? relu;
    private readonly NonLocalLayer[] layers;
    private readonly int latentChannels;

    public FBONonLocal(int stChannels, int ltChannels, int latentChannels, int numStFeat, int numLtFeat,
        int numNonLocalLayers = 2, double stFeatDropoutRatio = 0.2, double ltFeatDropoutRatio = 0.2,
        bool preActivate = true, bool zeroInitOutConv = false) : base(nameof(FBONonLocal))
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(numNonLocalLayers);
        this.latentChannels = latentChannels;
        st_feat_conv = PointwiseConv.NewConv3d(stChannels, latentChannels);
        lt_feat_conv = PointwiseConv.NewConv3d(ltChannels, latentChannels);
        st_feat_dropout = stFeatDropoutRatio > 0 ? nn.Dropout(stFeatDropoutRatio) : null;
        lt_feat_dropout = ltFeatDropoutRatio > 0 ? nn.Dropout(ltFeatDropoutRatio) : null;
        relu = preActivate ? null : nn.ReLU();
        RegisterComponents();
        layers = new NonLocalLayer[numNonLocalLayers];
        for (int i = 0; i < numNonLocalLayers; i++)
        {
            layers[i] = new NonLocalLayer(latentChannels, latentChannels, latentChannels, numStFeat, numLtFeat,
                preActivate, zeroInitOutConv: zeroInitOutConv);
            register_module($"non_local_layer_{i + 1}", layers[i]);
        }
        InitWeights();
    }

    public override int OutChannels => latentChannels;

    public override void InitWeights()
    {
        PointwiseConv.KaimingInit(st_feat_conv);
        PointwiseConv.KaimingInit(lt_feat_conv);
        foreach (var layer in layers) layer.InitWeights();
    }

    public override Tensor forward(Tensor stFeat, Tensor ltFeat)
    {
        using var scope = NewDisposeScope();
        var st = st_feat_conv.forward(stFeat);
        if (st_feat_dropout is not null) st = st_feat_dropout.forward(st);
        var lt = lt_feat_conv.forward(ltFeat);
        if (lt_feat_dropout is not null) lt = lt_feat_dropout.forward(lt);
        foreach (var layer in layers)
        {
            st = st + layer.forward(st, lt);
            if (relu is not null) st = relu.forward(st);
        }
        return st.MoveToOuterDisposeScope();
    }
}
