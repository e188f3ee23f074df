using Cluster.Training.Models.Init;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

public class WeightInitializerTests
{
    /// <summary>conv (Conv2d), bn (BatchNorm2d), fc (Linear) and a Sequential "neck" holding a Conv3d and a BN3d.</summary>
    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Conv2d conv = nn.Conv2d(2, 4, 3);
        public readonly BatchNorm2d bn = nn.BatchNorm2d(4);
        public readonly Linear fc = nn.Linear(4, 3);
        public readonly Sequential neck = nn.Sequential(nn.Conv3d(2, 2, 1), nn.BatchNorm3d(2));

        public Net() : base(nameof(Net)) => RegisterComponents();

        public override Tensor forward(Tensor x) => fc.forward(x);
    }

    private static bool All(Tensor t, double value) => t.eq(value).all().item<bool>();

    private static Tensor NeckConvWeight(Net net) => ((Conv3d)net.neck[0]).weight!;

    [Fact]
    public void LayerSelectsByClassName()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [new ConstantInitConfig { Val = 2, Layer = ["Conv2d"] }], null);
        Assert.True(All(net.conv.weight!, 2));
        Assert.False(All(NeckConvWeight(net), 2));
        Assert.False(All(net.fc.weight!, 2));
    }

    [Fact]
    public void LayerSelectsByDirectBaseClassOnly()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [
            new ConstantInitConfig { Val = 3, Layer = ["_ConvNd"] },
            new ConstantInitConfig { Val = 5, Layer = ["Module"] },
        ], null);
        Assert.True(All(net.conv.weight!, 3));
        Assert.True(All(NeckConvWeight(net), 3));
        // Linear derives from Module directly; Conv2d only through _ConvNd and BatchNorm2d through _BatchNorm.
        Assert.True(All(net.fc.weight!, 5));
        Assert.False(All(net.bn.weight!, 5));
    }

    [Fact]
    public void BatchNormBaseSelectsEveryDimension()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [new ConstantInitConfig { Val = 7, Bias = 1, Layer = ["_BatchNorm"] }], null);
        Assert.True(All(net.bn.weight!, 7) && All(net.bn.bias!, 1));
        Assert.True(All(((BatchNorm3d)net.neck[1]).weight!, 7));
    }

    [Fact]
    public void OverrideWithItsOwnTypeInitialisesThatAttribute()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [new ConstantInitConfig
        {
            Val = 1, Layer = ["Conv2d"],
            Override = [new NormalInitConfig { Name = "fc", Mean = 10, Std = 1e-6, Bias = 4 }],
        }], null);
        Assert.True(All(net.conv.weight!, 1));
        Assert.True(net.fc.weight!.allclose(full(3, 4, 10f), atol: 1e-4));
        Assert.True(All(net.fc.bias!, 4));
    }

    [Fact]
    public void OverrideWithOnlyANameReusesTheParentSettingsWithoutLayer()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [new ConstantInitConfig
        {
            Val = 6, Bias = 2, Layer = ["Conv2d"], Override = [new InheritedInitConfig { Name = "fc" }],
        }], null);
        Assert.True(All(net.fc.weight!, 6) && All(net.fc.bias!, 2));
        Assert.False(All(net.bn.weight!, 6));
    }

    [Fact]
    public void OverrideInitialisesEveryParameterOfTheSubmodule()
    {
        using var net = new Net();
        WeightInitializer.Initialize(net, [new ConstantInitConfig
        {
            Val = 1, Layer = ["Linear"], Override = [new ConstantInitConfig { Name = "neck", Val = 9 }],
        }], null);
        Assert.True(All(NeckConvWeight(net), 9));
        Assert.True(All(((BatchNorm3d)net.neck[1]).weight!, 9));
    }

    [Fact]
    public void OverrideErrorsNameTheProblem()
    {
        using var net = new Net();
        var noName = Assert.Throws<ArgumentException>(() => WeightInitializer.Initialize(net,
            [new ConstantInitConfig { Val = 1, Override = [new ConstantInitConfig { Val = 2 }] }], null));
        Assert.Contains("'name'", noName.Message);

        var noType = Assert.Throws<ArgumentException>(() => WeightInitializer.Initialize(net,
            [new ConstantInitConfig { Val = 1, Override = [new InheritedInitConfig { Name = "fc", Bias = 1 }] }], null));
        Assert.Contains("'type'", noType.Message);

        var missing = Assert.Throws<ArgumentException>(() => WeightInitializer.Initialize(net,
            [new ConstantInitConfig { Val = 1, Override = [new InheritedInitConfig { Name = "head" }] }], null));
        Assert.Contains("'head'", missing.Message);

        var typeless = Assert.Throws<ArgumentException>(() =>
            WeightInitializer.Initialize(net, [new InheritedInitConfig { Layer = ["Linear"] }], null));
        Assert.Contains("override", typeless.Message);
    }

    /// <summary>A child with its own init_weights that logs when it runs and what the parent's fc held then.</summary>
    private sealed class LoggingChild(List<string> log) : nn.Module<Tensor, Tensor>(nameof(LoggingChild)), IInitWeights
    {
        public void InitWeights(IPretrainedLoader? loader) => log.Add("child");
        public override Tensor forward(Tensor x) => x;
    }

    private sealed class Parent : nn.Module<Tensor, Tensor>
    {
        public readonly Linear fc = nn.Linear(3, 3);
        public readonly LoggingChild child;

        public Parent(List<string> log) : base(nameof(Parent))
        {
            child = new LoggingChild(log);
            RegisterComponents();
        }

        public override Tensor forward(Tensor x) => fc.forward(x);
    }

    [Fact]
    public void PretrainedRunsLastAfterOtherEntriesAndChildrenWhateverTheListOrder()
    {
        var log = new List<string>();
        using var parent = new Parent(log);
        var loader = new RecordingLoader(target =>
        {
            var fc = ((Parent)target).fc;
            log.Add($"pretrained saw fc={fc.weight![0, 0].item<float>()}");
            using (no_grad()) fc.weight!.fill_(42);
        });
        WeightInitializer.InitWeights(parent, [
            new PretrainedInitConfig { Checkpoint = "ckpt.pth", Prefix = "backbone" },
            new ConstantInitConfig { Val = 1, Layer = ["Linear"] },
        ], loader);

        Assert.Equal(["child", "pretrained saw fc=1"], log);
        Assert.Equal(("ckpt.pth", "backbone"), (loader.Calls[0].Checkpoint, loader.Calls[0].Prefix));
        Assert.True(All(parent.fc.weight!, 42));
    }

    [Fact]
    public void PretrainedWithoutALoaderIsAnError()
    {
        using var net = new Net();
        var error = Assert.Throws<InvalidOperationException>(() =>
            WeightInitializer.InitWeights(net, [new PretrainedInitConfig { Checkpoint = "x.pth" }], null));
        Assert.Contains("x.pth", error.Message);

        var noCheckpoint = Assert.Throws<ArgumentException>(() =>
            WeightInitializer.InitWeights(net, [new PretrainedInitConfig()], new RecordingLoader()));
        Assert.Contains("'checkpoint'", noCheckpoint.Message);
    }

    [Fact]
    public void InitCfgOnABackboneReplacesItsDefaultInit()
    {
        using var backbone = new Cluster.Training.Models.Backbones.ResNet(new Cluster.Training.Models.Backbones.ResNetConfig
        {
            Depth = 18, BaseChannels = 4, InitCfg = [new ConstantInitConfig { Val = 0.5, Layer = ["Conv2d"] }],
        });
        backbone.InitWeights(null);
        var p = TinyModels.Parameters(backbone);
        Assert.True(All(p["layer2.0.conv1.weight"], 0.5));
        Assert.True(All(p["layer2.0.downsample.0.weight"], 0.5));
    }

    [Fact]
    public void TypeNamesMapTorchSharpModulesToPyTorchClasses()
    {
        using var net = new Net();
        Assert.Equal("Conv2d", PyTorchTypeNames.ClassName(net.conv));
        Assert.Equal(["_ConvNd"], PyTorchTypeNames.BaseClassNames(net.conv));
        Assert.Equal(["_BatchNorm"], PyTorchTypeNames.BaseClassNames(net.bn));
        Assert.Equal(["Module"], PyTorchTypeNames.BaseClassNames(net.fc));
        using var head = new Cluster.Training.Models.Heads.TSNHead(new Cluster.Training.Models.Heads.TSNHeadConfig
        {
            NumClasses = 2, InChannels = 4,
        });
        Assert.Equal("TSNHead", PyTorchTypeNames.ClassName(head));
        Assert.Equal(["BaseHead"], PyTorchTypeNames.BaseClassNames(head));
    }
}
