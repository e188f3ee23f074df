using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using Cluster.Training.Models.Recognizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models;

/// <summary>
/// Builds a recogniser from its <c>model</c> section, initialises its weights (MMEngine order) and returns it in
/// training mode, with frozen stages, norm_eval and partial_bn already in force.
/// </summary>
public static class ModelBuilder
{
    /// <param name="loader">Reads checkpoints named by <c>pretrained</c> and <c>Pretrained</c> init_cfg entries;
    /// may be null when the config names none.</param>
    public static Recognizer Build(RecognizerConfig config, IPretrainedLoader? loader)
    {
        var backboneConfig = config.Backbone ?? throw new ArgumentException("model.backbone: missing");
        var headConfig = config.ClsHead ?? throw new ArgumentException("model.cls_head: missing");
        var head = BuildHead(headConfig);
        Recognizer recognizer = config switch
        {
            Recognizer2DConfig => new Recognizer2D(Build2dBackbone(backboneConfig), head, config.InitCfg),
            Recognizer3DConfig => new Recognizer3D(Build3dBackbone(backboneConfig), head, config.InitCfg),
            _ => throw new ArgumentException($"model.type: unsupported recogniser {config.GetType().Name}"),
        };
        ((IInitWeights)recognizer).InitWeights(loader);
        recognizer.train();
        return recognizer;
    }

    private static nn.Module<Tensor, Tensor> Build2dBackbone(BackboneConfig config) => config switch
    {
        ResNetConfig resnet => new ResNet(resnet, "model.backbone"),
        _ => throw new ArgumentException(
            $"model.backbone: Recognizer2D needs a 2D backbone (ResNet), got {config.GetType().Name}"),
    };

    private static nn.Module<Tensor, Tensor> Build3dBackbone(BackboneConfig config) => config switch
    {
        ResNet3dSlowOnlyConfig slowOnly => new ResNet3dSlowOnly(slowOnly, "model.backbone"),
        _ => throw new ArgumentException(
            $"model.backbone: Recognizer3D needs a 3D backbone (ResNet3dSlowOnly), got {config.GetType().Name}"),
    };

    private static BaseHead BuildHead(HeadConfig config) => config switch
    {
        TSNHeadConfig tsn => new TSNHead(tsn, "model.cls_head"),
        I3DHeadConfig i3d => new I3DHead(i3d, "model.cls_head"),
        _ => throw new ArgumentException($"model.cls_head: unsupported head {config.GetType().Name}"),
    };
}
