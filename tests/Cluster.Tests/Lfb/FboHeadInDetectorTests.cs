using Cluster.Tests.Models.Detectors;
using Cluster.Training.Lfb;
using Cluster.Training.Models;
using Cluster.Training.Models.Detectors;
using static TorchSharp.torch;

namespace Cluster.Tests.Lfb;

/// <summary>
/// The whole LFB path on a tiny FastRCNN: its PersonFeatures make a bank (BankBuilder), the bank is saved as a split,
/// and a FastRCNN with an FBOHead shared head reads it, names its parameters as MMAction2 and trains through it.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class FboHeadInDetectorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("lfb-detector-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void ADetectorWithAnFboHeadReadsABankItsBackboneComputed()
    {
        using (var extractor = TinyDetector.Build(seed: 1))
        {
            extractor.eval();
            var bank = BankBuilder.Build([TinyDetector.Batch(seed: 2), TinyDetector.Batch(seed: 3, firstSample: 2)],
                batch => extractor.PersonFeatures(batch, CPU), TinyDetector.Channels);
            Assert.Equal(["video0", "video1", "video2", "video3"], bank.Videos);
            Assert.Equal(2, bank.PersonsAt("video1", 902));
            FeatureBankFile.Save(bank, FeatureBankCache.SplitReference(folder, "train"), FeatureBankDtype.Float16);
        }

        var tiny = TinyDetector.Config();
        var config = new FastRCNNConfig
        {
            Backbone = tiny.Backbone,
            RoiHead = new AVARoIHeadConfig
            {
                BboxRoiExtractor = tiny.RoiHead!.BboxRoiExtractor,
                SharedHead = new FBOHeadConfig
                {
                    LfbCfg = new LfbConfig { LfbPrefixPath = folder, WindowSize = 4, MaxNumSampledFeat = 2, LfbChannels = TinyDetector.Channels, DatasetModes = ["train"] },
                    FboCfg = new FBONonLocalConfig { LatentChannels = 8 },
                },
                BboxHead = new BBoxHeadAVAConfig { InChannels = TinyDetector.Channels + 8, NumClasses = TinyDetector.Classes },
            },
        };
        manual_seed(4);
        using var model = ModelBuilder.Build(config, loader: null);
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Contains("roi_head.shared_head.fbo.st_feat_conv.weight", parameters.Keys);
        Assert.Contains("roi_head.shared_head.fbo.non_local_layer_2.out_conv.conv.bias", parameters.Keys);
        Assert.Contains("roi_head.shared_head.fbo.non_local_layer_1.ln.weight", parameters.Keys);
        // Kaiming init leaves conv biases at zero.
        Assert.Equal(0f, parameters["roi_head.shared_head.fbo.lt_feat_conv.bias"].abs().sum().item<float>());

        using var batch = TinyDetector.Batch(seed: 5);
        using var loss = model.TrainingLoss(batch, CPU);
        loss.backward();
        Assert.True(double.IsFinite(loss.item<float>()));
        foreach (var name in new[] { "roi_head.shared_head.fbo.lt_feat_conv.weight", "roi_head.shared_head.fbo.non_local_layer_2.global_conv.conv.weight", "backbone.conv1.conv.weight" })
            Assert.True(parameters[name].grad!.abs().sum().item<float>() > 0, name);
    }
}
