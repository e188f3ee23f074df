using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

/// <summary>
/// A one-block ResNet with torchvision's attribute names, shaped like the backbone in mmaction_style.pth
/// (stem 3→4, one basic block 4→6 with a downsample).
/// </summary>
internal sealed class TinyTorchvisionBackbone : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(3, 4, 3, stride: 2, padding: 1, bias: false);
    private readonly BatchNorm2d bn1 = nn.BatchNorm2d(4);
    private readonly Sequential layer1 = nn.Sequential(("0", new TinyTorchvisionBlock(4, 6)));

    public TinyTorchvisionBackbone() : base(nameof(TinyTorchvisionBackbone)) => RegisterComponents();

    public override Tensor forward(Tensor input) => layer1.forward(bn1.forward(conv1.forward(input)));
}

internal sealed class TinyTorchvisionBlock : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly BatchNorm2d bn1;
    private readonly Conv2d conv2;
    private readonly BatchNorm2d bn2;
    private readonly Sequential downsample;

    public TinyTorchvisionBlock(int inputs, int outputs) : base(nameof(TinyTorchvisionBlock))
    {
        conv1 = nn.Conv2d(inputs, outputs, 3, stride: 2, padding: 1, bias: false);
        bn1 = nn.BatchNorm2d(outputs);
        conv2 = nn.Conv2d(outputs, outputs, 3, padding: 1, bias: false);
        bn2 = nn.BatchNorm2d(outputs);
        downsample = nn.Sequential(("0", nn.Conv2d(inputs, outputs, 1, stride: 2, bias: false)), ("1", nn.BatchNorm2d(outputs)));
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) =>
        bn2.forward(conv2.forward(bn1.forward(conv1.forward(input)))) + downsample.forward(input);
}

/// <summary>MMCV's ConvModule naming: a conv and its batch norm as children <c>conv</c> and <c>bn</c>.</summary>
internal sealed class TinyConvModule : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv;
    private readonly BatchNorm2d bn;

    public TinyConvModule(int inputs, int outputs) : base(nameof(TinyConvModule))
    {
        conv = nn.Conv2d(inputs, outputs, 3, padding: 1, bias: false);
        bn = nn.BatchNorm2d(outputs);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => bn.forward(conv.forward(input));
}

/// <summary>An MMAction2-named stem plus a classifier: <c>conv1.conv</c>, <c>conv1.bn</c>, <c>fc</c>.</summary>
internal sealed class TinyMMActionNet : nn.Module<Tensor, Tensor>
{
    private readonly TinyConvModule conv1 = new(3, 4);
    private readonly Linear fc;

    public TinyMMActionNet(int classes) : base(nameof(TinyMMActionNet))
    {
        fc = nn.Linear(4, classes);
        RegisterComponents();
    }

    public override Tensor forward(Tensor input) => fc.forward(conv1.forward(input).mean([2, 3]));
}
