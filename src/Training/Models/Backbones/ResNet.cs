using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;
using BatchNorm2d = Cluster.Training.Models.Layers.BatchNorm2d;

namespace Cluster.Training.Models.Backbones;

/// <summary>
/// MMAction2's 2D ResNet with torchvision's parameter names (<c>conv1</c>, <c>bn1</c>, <c>layerK.J.*</c>,
/// <c>downsample.0/1</c>) so torchvision and MMAction2 checkpoints load. Returns the feature map of the single
/// <c>out_indices</c> stage.
/// </summary>
public sealed class ResNet : nn.Module<Tensor, Tensor>, IInitWeights
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly ReLU relu;
    private readonly MaxPool2d maxpool;
    private readonly IReadOnlyList<Sequential> stages;
    private readonly ResNetConfig config;

    public ResNet(ResNetConfig config, string keyPath = "backbone") : base(nameof(ResNet))
    {
        this.config = config;
        var arch = ResNetArchitecture.ForDepth(config.Depth, keyPath);
        StageSettings.Validate(config.NumStages, config.OutIndices, config.FrozenStages, keyPath,
            ("strides", config.Strides.Count), ("dilations", config.Dilations.Count));

        conv1 = nn.Conv2d(config.InChannels, config.BaseChannels, 7, stride: 2, padding: 3, bias: false);
        bn1 = new BatchNorm2d(config.BaseChannels);
        relu = nn.ReLU(inplace: true);
        maxpool = nn.MaxPool2d(3, stride: 2, padding: 1);
        RegisterComponents();

        stages = ResNetStages.Build(this, arch, config.NumStages, config.BaseChannels, (i, inplanes, planes) =>
            MakeStage(arch, inplanes, planes, arch.StageBlocks[i], config.Strides[i], config.Dilations[i]));
        OutChannels = ResNetStages.OutChannels(arch, config.BaseChannels, config.OutIndices[0]);
    }

    /// <summary>Channels of the returned feature map.</summary>
    public long OutChannels { get; }

    private Sequential MakeStage(ResNetArchitecture arch, long inplanes, long planes, int blocks, long stride,
        long dilation)
    {
        var outPlanes = planes * arch.Expansion;
        Sequential? downsample = stride != 1 || inplanes != outPlanes
            ? nn.Sequential(nn.Conv2d(inplanes, outPlanes, 1, stride: stride, bias: false), new BatchNorm2d(outPlanes))
            : null;
        var layers = new List<nn.Module<Tensor, Tensor>> { MakeBlock(arch, inplanes, planes, stride, dilation, downsample) };
        for (var b = 1; b < blocks; b++) layers.Add(MakeBlock(arch, outPlanes, planes, 1, dilation, null));
        return nn.Sequential(layers);
    }

    private nn.Module<Tensor, Tensor> MakeBlock(ResNetArchitecture arch, long inplanes, long planes, long stride,
        long dilation, Sequential? downsample) => arch.UsesBottleneck
        ? new Bottleneck(inplanes, planes, stride, dilation, config.Style, downsample)
        : new BasicBlock(inplanes, planes, stride, dilation, downsample);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = maxpool.forward(relu.forward(bn1.forward(conv1.forward(x))));
        for (var i = 0; i <= config.OutIndices[0]; i++) output = stages[i].forward(output);
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Re-applies frozen_stages, norm_eval and partial_bn after the mode switch, as MMAction2's
    /// <c>ResNet.train</c> does, so they survive every <c>train()</c> call.</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (config.FrozenStages >= 0)
        {
            ModuleTree.Freeze(conv1);
            ModuleTree.Freeze(bn1);
        }
        for (var i = 0; i < config.FrozenStages; i++) ModuleTree.Freeze(stages[i]);
        if (on && config.NormEval) ModuleTree.SetBatchNormsToEval(this);
        if (on && config.PartialBn) FreezeBatchNormsExceptFirst();
    }

    /// <summary>MMAction2's <c>_partial_bn</c>: every BatchNorm2d but the stem's goes to eval with frozen affine.</summary>
    private void FreezeBatchNormsExceptFirst()
    {
        foreach (var stage in stages)
            foreach (var m in ModuleTree.SelfAndDescendants(stage))
                if (m is BatchNorm2d bn)
                {
                    bn.eval();
                    foreach (var p in bn.parameters()) p.requires_grad = false;
                }
    }

    /// <summary>With <c>init_cfg</c>: MMEngine's rules. Without: MMAction2's scratch init (Kaiming fan_out convs,
    /// BN weight 1 bias 0) unless <c>pretrained</c> names a checkpoint, which is then loaded non-strictly.</summary>
    public void InitWeights(IPretrainedLoader? loader)
    {
        if (config.InitCfg is { Count: > 0 }) WeightInitializer.InitWeights(this, config.InitCfg, loader);
        else if (config.Pretrained is null) DefaultInit.KaimingConvsUnitNorms(this);
        if (config.Pretrained is { } checkpoint)
            PretrainedLoading.Load(loader, this, checkpoint, "backbone.pretrained");
    }
}
