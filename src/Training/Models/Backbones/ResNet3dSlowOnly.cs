using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Models.Backbones;

/// <summary>
/// MMAction2's ResNet3dSlowOnly: a ResNet3d with MMCV ConvModule names (<c>conv1.conv</c>, <c>conv1.bn</c>,
/// <c>layerK.J.convN.conv/bn</c>, <c>layerK.J.downsample.conv/bn</c>). Input [B, C, T, H, W].
/// </summary>
public sealed class ResNet3dSlowOnly : nn.Module<Tensor, Tensor>, IInitWeights
{
    private readonly ConvModule conv1;
    private readonly MaxPool3d maxpool;
    private readonly MaxPool3d pool2;
    private readonly IReadOnlyList<Sequential> stages;
    private readonly ResNet3dSlowOnlyConfig config;

    public ResNet3dSlowOnly(ResNet3dSlowOnlyConfig config, string keyPath = "backbone") : base(nameof(ResNet3dSlowOnly))
    {
        this.config = config;
        var arch = Architecture(config, keyPath);
        var inflate = PerStage(config.Inflate, config.NumStages, $"{keyPath}.inflate");
        Validate(config, keyPath);

        var k = config.Conv1Kernel;
        conv1 = new ConvModule(config.InChannels, config.BaseChannels, (k[0], k[1], k[2]),
            (config.Conv1StrideT, config.Conv1StrideS, config.Conv1StrideS),
            ((k[0] - 1) / 2, (k[1] - 1) / 2, (k[2] - 1) / 2), (1, 1, 1), withActivation: true);
        maxpool = nn.MaxPool3d((1, 3, 3), stride: (config.Pool1StrideT, config.Pool1StrideS, config.Pool1StrideS),
            padding: (0, 1, 1));
        pool2 = nn.MaxPool3d((2, 1, 1), stride: (2, 1, 1));
        RegisterComponents();

        stages = ResNetStages.Build(this, arch, config.NumStages, config.BaseChannels, (i, inplanes, planes) =>
        {
            var settings = new Block3dSettings(config.SpatialStrides[i], config.TemporalStrides[i],
                config.Dilations[i], config.Style, inflate[i] != 0, config.InflateStyle);
            return MakeStage(arch, inplanes, planes, arch.StageBlocks[i], settings);
        });
        OutChannels = ResNetStages.OutChannels(arch, config.BaseChannels, config.OutIndices[0]);
    }

    /// <summary>Channels of the returned feature map.</summary>
    public long OutChannels { get; }

    private static ResNetArchitecture Architecture(ResNet3dSlowOnlyConfig config, string keyPath)
    {
        var standard = ResNetArchitecture.ForDepth(config.Depth, keyPath);
        return config.StageBlocks is { } blocks ? standard with { StageBlocks = [.. blocks] } : standard;
    }

    private static void Validate(ResNet3dSlowOnlyConfig config, string keyPath)
    {
        StageSettings.Validate(config.NumStages, config.OutIndices, config.FrozenStages, keyPath,
            ("spatial_strides", config.SpatialStrides.Count), ("temporal_strides", config.TemporalStrides.Count),
            ("dilations", config.Dilations.Count), ("stage_blocks", config.StageBlocks?.Count ?? config.NumStages));
        if (config.Conv1Kernel.Count != 3)
            throw new ArgumentException($"{keyPath}.conv1_kernel: expected 3 values (t, h, w)");
        if (config.InflateStyle is not ("3x1x1" or "3x3x3"))
            throw new ArgumentException($"{keyPath}.inflate_style: '{config.InflateStyle}' is not 3x1x1 or 3x3x3");
        if (config.Lateral)
            throw new ArgumentException($"{keyPath}.lateral: SlowOnly has no lateral connections (SlowFast only)");
    }

    private static int[] PerStage(List<int> values, int numStages, string keyPath) =>
        values.Count == 1 ? Enumerable.Repeat(values[0], numStages).ToArray()
        : values.Count >= numStages ? [.. values]
        : throw new ArgumentException($"{keyPath}: {values.Count} entries for {numStages} stages");

    private static Sequential MakeStage(ResNetArchitecture arch, long inplanes, long planes, int blocks,
        Block3dSettings settings)
    {
        var outPlanes = planes * arch.Expansion;
        var downsample = settings.SpatialStride != 1 || inplanes != outPlanes
            ? new ConvModule(inplanes, outPlanes, (1, 1, 1),
                (settings.TemporalStride, settings.SpatialStride, settings.SpatialStride), (0, 0, 0), (1, 1, 1),
                withActivation: false)
            : null;
        var rest = settings with { SpatialStride = 1, TemporalStride = 1 };
        var layers = new List<nn.Module<Tensor, Tensor>> { MakeBlock(arch, inplanes, planes, settings, downsample) };
        for (var b = 1; b < blocks; b++) layers.Add(MakeBlock(arch, outPlanes, planes, rest, null));
        return nn.Sequential(layers);
    }

    private static nn.Module<Tensor, Tensor> MakeBlock(ResNetArchitecture arch, long inplanes, long planes,
        Block3dSettings settings, ConvModule? downsample) => arch.UsesBottleneck
        ? new Bottleneck3d(inplanes, planes, settings, downsample)
        : new BasicBlock3d(inplanes, planes, settings, downsample);

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var output = conv1.forward(x);
        if (config.WithPool1) output = maxpool.forward(output);
        for (var i = 0; i <= config.OutIndices[0]; i++)
        {
            output = stages[i].forward(output);
            if (i == 0 && config.WithPool2) output = pool2.forward(output);
        }
        return output.MoveToOuterDisposeScope();
    }

    /// <summary>Re-applies frozen_stages and norm_eval after the mode switch (MMAction2's <c>ResNet3d.train</c>).</summary>
    public override void train(bool on = true)
    {
        base.train(on);
        if (config.FrozenStages >= 0) ModuleTree.Freeze(conv1);
        for (var i = 0; i < config.FrozenStages; i++) ModuleTree.Freeze(stages[i]);
        if (on && config.NormEval) ModuleTree.SetBatchNormsToEval(this);
    }

    /// <summary>With <c>init_cfg</c>: MMEngine's rules. Without: Kaiming convs, unit BNs and, with
    /// zero_init_residual, a zero last BN in every block; a <c>pretrained</c> checkpoint is then loaded
    /// (inflated from 2D when pretrained2d).</summary>
    public void InitWeights(IPretrainedLoader? loader)
    {
        if (config.InitCfg is { Count: > 0 }) WeightInitializer.InitWeights(this, config.InitCfg, loader);
        else if (config.Pretrained is null) ScratchInit();
        if (config.Pretrained is not { } checkpoint) return;
        if (config.Pretrained2d) InflateFrom2d(loader, checkpoint);
        else PretrainedLoading.Load(loader, this, checkpoint, "backbone.pretrained");
    }

    private void ScratchInit()
    {
        DefaultInit.KaimingConvsUnitNorms(this);
        if (!config.ZeroInitResidual) return;
        var zero = new ConstantInitConfig { Val = 0 };
        foreach (var m in ModuleTree.SelfAndDescendants(this))
            if (m is IResidualBlock3d block) ModuleInitializers.Apply(block.LastConv.Norm, zero);
    }

    /// <summary>MMAction2's <c>_inflate_weights</c>: a 2D ResNet of the same depth and widths loads the checkpoint,
    /// then each 3D conv gets the 2D kernel repeated over time divided by the temporal size, and BNs are copied.</summary>
    private void InflateFrom2d(IPretrainedLoader? loader, string checkpoint)
    {
        using var resnet2d = new ResNet(new ResNetConfig
        {
            Depth = config.Depth, InChannels = config.InChannels, BaseChannels = config.BaseChannels,
            NumStages = config.NumStages, OutIndices = [config.NumStages - 1],
        });
        PretrainedLoading.Load(loader, resnet2d, checkpoint, "backbone.pretrained");
        Weights2dInflation.Inflate(resnet2d, this);
    }
}
