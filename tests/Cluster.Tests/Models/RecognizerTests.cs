using System.Diagnostics;
using Cluster.Training.Models;
using Cluster.Training.Models.Heads;
using Cluster.Training.Models.Recognizers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Tests.Models;

public class RecognizerTests
{
    [Fact]
    public void Recognizer2DNamesItsPartsLikeMMAction2()
    {
        using var model = ModelBuilder.Build(TinyModels.Tsn(), null);
        var names = TinyModels.Parameters(model).Keys.ToList();
        Assert.Contains("backbone.conv1.weight", names);
        Assert.Contains("backbone.layer4.1.bn2.bias", names);
        Assert.Contains("cls_head.fc_cls.weight", names);
        Assert.Contains("cls_head.fc_cls.bias", names);
        Assert.Equal(TinyModels.Classes, model.NumClasses);
    }

    [Fact]
    public void Recognizer2DScoresEachSampleFromTheMeanOfItsSegments()
    {
        using var model = ModelBuilder.Build(TinyModels.Tsn(averageClips: AverageClips.Score), null);
        model.eval();
        using var inputs = randn([2, 3, 3, 32, 32]);
        using var logits = model.forward(inputs);
        Assert.Equal(new long[] { 2, TinyModels.Classes }, logits.shape);

        // fc_cls is linear, so fc(mean of segment features) = mean of per-segment scores.
        using var perSegment = model.forward(inputs.reshape(6, 1, 3, 32, 32)).view(2, 3, -1).mean([1]);
        Assert.True(logits.allclose(perSegment, rtol: 1e-4, atol: 1e-5));
        Assert.True(model.Predict(inputs).allclose(logits));
    }

    [Fact]
    public void Recognizer2DPredictSoftmaxesTheConsensusOfAllViews()
    {
        using var model = ModelBuilder.Build(TinyModels.Tsn(averageClips: AverageClips.Prob), null);
        model.eval();
        using var inputs = randn([2, 6, 3, 32, 32]);
        using var scores = model.Predict(inputs);
        Assert.Equal(new long[] { 2, TinyModels.Classes }, scores.shape);
        Assert.True(scores.allclose(nn.functional.softmax(model.forward(inputs), 1)));
        Assert.True(scores.sum(1).allclose(ones(2)));
    }

    [Fact]
    public void Recognizer3DAveragesViewLogitsAndPredictAveragesViewProbabilities()
    {
        using var model = ModelBuilder.Build(TinyModels.SlowOnly(AverageClips.Prob), null);
        model.eval();
        using var inputs = randn([2, 2, 3, 4, 32, 32]);
        using var perView = model.forward(inputs.reshape(4, 1, 3, 4, 32, 32)).view(2, 2, -1);

        using var logits = model.forward(inputs);
        Assert.Equal(new long[] { 2, TinyModels.Classes }, logits.shape);
        Assert.True(logits.allclose(perView.mean([1]), rtol: 1e-4, atol: 1e-5));

        using var scores = model.Predict(inputs);
        Assert.True(scores.allclose(nn.functional.softmax(perView, 2).mean([1]), rtol: 1e-4, atol: 1e-6));
    }

    [Fact]
    public void WithoutAverageClipsRecognizer3DPredictKeepsEveryView()
    {
        using var model = ModelBuilder.Build(TinyModels.SlowOnly(averageClips: null), null);
        model.eval();
        using var scores = model.Predict(randn([2, 3, 3, 2, 32, 32]));
        Assert.Equal(new long[] { 2, 3, TinyModels.Classes }, scores.shape);
    }

    [Fact]
    public void RecognizerParametersFollowMMAction2Names3D()
    {
        using var model = ModelBuilder.Build(TinyModels.SlowOnly(), null);
        var names = TinyModels.Parameters(model).Keys.ToList();
        Assert.Contains("backbone.conv1.conv.weight", names);
        Assert.Contains("backbone.layer3.0.conv1.bn.weight", names);
        Assert.Contains("cls_head.fc_cls.weight", names);
    }

    [Fact]
    public void HeadsStartFromNormalStdInitStdAndZeroBias()
    {
        using var model = ModelBuilder.Build(new Recognizer2DConfig
        {
            Backbone = TinyModels.Tsn().Backbone,
            ClsHead = new TSNHeadConfig { NumClasses = 400, InChannels = 64, InitStd = 0.05 },
        }, null);
        var p = TinyModels.Parameters(model);
        Assert.InRange(p["cls_head.fc_cls.weight"].std().item<float>(), 0.048, 0.052);
        Assert.True(p["cls_head.fc_cls.bias"].eq(0).all().item<bool>());
    }

    [Fact]
    public void TrainStepOnATinyTsnTakesWellUnderASecond()
    {
        using var model = ModelBuilder.Build(TinyModels.Tsn(baseChannels: 8), null);
        model.train();
        using var optimizer = optim.SGD(model.parameters(), 0.01, momentum: 0.9);
        using var inputs = randn([4, 3, 3, 64, 64]);
        using var labels = tensor(new long[] { 0, 1, 2, 3 });
        TrainStep(model, optimizer, inputs, labels);

        var watch = Stopwatch.StartNew();
        TrainStep(model, optimizer, inputs, labels);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"train step took {watch.Elapsed.TotalMilliseconds} ms");
    }

    [Fact]
    public void BuilderLoadsTheBackbonesPretrainedCheckpointThroughTheLoader()
    {
        var loader = new RecordingLoader();
        var config = new Recognizer2DConfig
        {
            Backbone = new Cluster.Training.Models.Backbones.ResNetConfig
            {
                Depth = 18, BaseChannels = 4, Pretrained = "torchvision_r18.pth",
            },
            ClsHead = new TSNHeadConfig { NumClasses = 3, InChannels = 32 },
        };
        using var model = ModelBuilder.Build(config, loader);
        var (target, checkpoint, prefix) = Assert.Single(loader.Calls);
        Assert.IsType<Cluster.Training.Models.Backbones.ResNet>(target);
        Assert.Equal("torchvision_r18.pth", checkpoint);
        Assert.Null(prefix);

        var missing = Assert.Throws<InvalidOperationException>(() => ModelBuilder.Build(config, null));
        Assert.Contains("backbone.pretrained", missing.Message);
    }

    [Fact]
    public void BuiltModelIsTrainingWithTheBackbonesFreezingInForceThroughTrainAndEval()
    {
        using var model = ModelBuilder.Build(new Recognizer2DConfig
        {
            Backbone = new Cluster.Training.Models.Backbones.ResNetConfig
            {
                Depth = 18, BaseChannels = 4, FrozenStages = 1,
            },
            ClsHead = new TSNHeadConfig { NumClasses = 3, InChannels = 32 },
        }, null);
        var modules = TinyModels.Modules(model);
        Assert.True(model.training);
        Assert.False(TinyModels.Parameters(model)["backbone.layer1.0.conv1.weight"].requires_grad);
        model.eval();
        model.train();
        Assert.False(modules["backbone.layer1.0.bn1"].training);
        Assert.True(modules["backbone.layer2.0.bn1"].training);
        Assert.True(modules["cls_head.dropout"].training);
    }

    [Fact]
    public void MismatchedBackboneIsReportedWithItsKey()
    {
        var error = Assert.Throws<ArgumentException>(() => ModelBuilder.Build(new Recognizer2DConfig
        {
            Backbone = TinyModels.SlowOnly().Backbone, ClsHead = TinyModels.Tsn().ClsHead,
        }, null));
        Assert.Contains("model.backbone", error.Message);
    }

    private static void TrainStep(Recognizer model, optim.Optimizer optimizer, Tensor inputs, Tensor labels)
    {
        using var scope = NewDisposeScope();
        optimizer.zero_grad();
        var loss = model.Loss(model.forward(inputs), labels);
        loss.backward();
        optimizer.step();
    }
}
