using Cluster.Training.Models.Backbones;
using Cluster.Training.Models.Detectors;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Init;
using Cluster.Training.Models.Recognizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Models;

/// <summary>
/// Builds a recogniser or a detector from its <c>model</c> section, initialises its weights (MMEngine order) and
/// returns it in training mode, with frozen stages, norm_eval and partial_bn already in force.
/// </summary>
public static class ModelBuilder
{
    /// <param name="loader">Reads checkpoints named by <c>pretrained</c> and <c>Pretrained</c> init_cfg entries;
    /// may be null when the config names none.</param>
    public static VideoModel Build(ModelConfig config, IPretrainedLoader? loader) => config switch
    {
        RecognizerConfig recognizer => Build(recognizer, loader),
        FastRCNNConfig detector => Build(detector, loader),
        _ => throw new ArgumentException($"model.type: unsupported model {config.GetType().Name}"),
    };

    public static FastRCNN Build(FastRCNNConfig config, IPretrainedLoader? loader)
    {
        var backboneConfig = config.Backbone ?? throw new ArgumentException("model.backbone: missing");
        var roiHead = config.RoiHead ?? throw new ArgumentException("model.roi_head: missing");
        var backbone = Build3dBackbone(backboneConfig, "FastRCNN");
        var detector = new FastRCNN(backbone, backbone.OutChannels, roiHead,
            config.TestCfg.Rcnn?.ActionThr ?? new RcnnTestConfig().ActionThr, config.InitCfg);
        detector.InitWeights(loader);
        detector.train();
        return detector;
    }

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
            Recognizer3DConfig => new Recognizer3D(Build3dBackbone(backboneConfig, "Recognizer3D"), head, config.InitCfg),
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

    private static ResNet3dSlowOnly Build3dBackbone(BackboneConfig config, string model) => config switch
    {
        ResNet3dSlowOnlyConfig slowOnly => new ResNet3dSlowOnly(slowOnly, "model.backbone"),
        _ => throw new ArgumentException(
            $"model.backbone: {model} needs a 3D backbone (ResNet3dSlowOnly), got {config.GetType().Name}"),
    };

    private static BaseHead BuildHead(HeadConfig config) => config switch
    {
        TSNHeadConfig tsn => new TSNHead(tsn, "model.cls_head"),
        I3DHeadConfig i3d => new I3DHead(i3d, "model.cls_head"),
        _ => throw new ArgumentException($"model.cls_head: unsupported head {config.GetType().Name}"),
    };
}
