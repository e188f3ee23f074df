using Cluster.Training.Data;
using Cluster.Training.Data.Ava;
using Cluster.Training.Data.Detection;
using Cluster.Training.Lfb;
using static TorchSharp.torch;

namespace Cluster.Tests.Lfb;

public sealed class BankBuilderTests : IDisposable
{
    private const int Channels = 4;
    private readonly string folder = Directory.CreateTempSubdirectory("lfb-builder-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    /// <summary>A detection batch whose RoIs sit at the given keyframes; box x1 encodes the RoI's number.</summary>
    private static Batch DetectionBatch(params (string Video, int Second, int Row, int Number)[] rois)
    {
        var info = rois.Select(r => new RoiInfo(new AvaKey(r.Video, r.Second), new NormalizedBox(r.Number / 100f, 0, 1, 1), r.Row)).ToList();
        var boxes = tensor(rois.SelectMany(r => new float[] { r.Row, r.Number, 0, 10, 10 }).ToArray(), [rois.Length, 5]);
        int rows = rois.Length == 0 ? 1 : rois.Max(r => r.Row) + 1;
        return new Batch(zeros([rows, 1, 3, 2, 4, 4]), empty(0), Enumerable.Range(0, rows).ToArray())
        {
            Detection = new DetectionTargets(boxes, zeros([rois.Length, 3]), info),
        };
    }

    /// <summary>Stands in for a detector's person features: RoI number n → (n, 2n, 3n, 4n).</summary>
    private static Tensor Features(Batch batch) =>
        batch.Detection!.Rois[.., 1].unsqueeze(1) * tensor(new float[] { 1, 2, 3, 4 });

    [Fact]
    public void FilesEveryPersonUnderItsKeyframeInRoiOrder()
    {
        var batches = new[]
        {
            DetectionBatch(("a", 901, 0, 1), ("a", 901, 0, 2), ("b", 905, 1, 3)),
            DetectionBatch(),
            DetectionBatch(("a", 902, 0, 4), ("c", 901, 1, 5), ("c", 901, 1, 6), ("c", 901, 1, 7)),
        };
        var reports = new List<BankProgress>();
        var bank = BankBuilder.Build(batches, Features, Channels, progress: new Progress(reports.Add));

        Assert.Equal(["a", "b", "c"], bank.Videos);
        Assert.Equal([(901, 2), (902, 1)], bank.SecondsOf("a"));
        Assert.Equal([1f, 2, 3, 4, 2, 4, 6, 8], bank.Get("a", 901).ToArray());
        Assert.Equal([5f, 10, 15, 20, 6, 12, 18, 24, 7, 14, 21, 28], bank.Get("c", 901).ToArray());
        Assert.Equal([new BankProgress(1, 2, 3), new BankProgress(2, 2, 3), new BankProgress(3, 4, 7)], reports);
        Assert.All(batches, b => Assert.True(b.Inputs.IsInvalid)); // each batch was disposed once used
    }

    [Fact]
    public void OnlyTheRequestedVideos()
    {
        var bank = BankBuilder.Build([DetectionBatch(("a", 1, 0, 1), ("b", 1, 1, 2), ("c", 1, 2, 3))], Features, Channels,
            videos: new HashSet<string> { "a", "c" });
        Assert.Equal(["a", "c"], bank.Videos);
    }

    [Fact]
    public void WrongShapesAndRepeatedKeyframesAreNamed()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            BankBuilder.Build([DetectionBatch(("a", 1, 0, 1))], Features, channels: 3));
        Assert.Equal("batch 0: person features are [1, 4], expected [1, 3]", error.Message);

        var repeated = Assert.Throws<ArgumentException>(() =>
            BankBuilder.Build([DetectionBatch(("a", 901, 0, 1)), DetectionBatch(("a", 901, 0, 2))], Features, Channels));
        Assert.Equal("batch 1: keyframe a,0901 already came in an earlier batch", repeated.Message);

        var recognition = new Batch(zeros([1, 1, 3, 4, 4]), zeros([1], ScalarType.Int64), [0]);
        Assert.Contains("Batch.Detection is null", Assert.Throws<ArgumentException>(() => BankBuilder.Build([recognition], Features, Channels)).Message);
    }

    [Fact]
    public void ABuiltBankFeedsAnFboHeadThroughItsFile()
    {
        var bank = BankBuilder.Build(
            [DetectionBatch(("v", 10, 0, 1), ("v", 10, 0, 2)), DetectionBatch(("v", 12, 0, 3))], Features, Channels);
        FeatureBankFile.Save(bank, FeatureBankCache.SplitReference(folder, "val"), FeatureBankDtype.Float16);
        var config = new FBOHeadConfig
        {
            LfbCfg = new LfbConfig { LfbPrefixPath = folder, WindowSize = 4, MaxNumSampledFeat = 2, LfbChannels = Channels, DatasetModes = ["val"] },
            FboCfg = new FBOMaxConfig(),
        };
        using var head = config.Build("shared_head", 2);
        var roi = new RoiInfo(new AvaKey("v", 11), new NormalizedBox(0, 0, 1, 1), 0);
        using var output = head.forward(zeros([1, 2, 1, 1, 1]), [roi]);
        // Window 9…12 holds RoIs 1, 2 (second 10) and 3 (second 12): the max is RoI 3's feature.
        Assert.Equal([0f, 0, 3, 6, 9, 12], output.flatten().data<float>().ToArray());
    }

    private sealed class Progress(Action<BankProgress> report) : IProgress<BankProgress>
    {
        public void Report(BankProgress value) => report(value);
    }
}
