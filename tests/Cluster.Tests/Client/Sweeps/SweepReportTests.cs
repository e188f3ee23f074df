using System.Text.Json;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Reports;
using SkiaSharp;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>The sweep report's files for a hand-made status: the table's content, and PNGs that are real plots.</summary>
public sealed class SweepReportTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("sweep-report-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void WritesTheTablesAndOnePlotPerParameter()
    {
        var written = SweepReport.Write(SweepStatuses.Asha(), directory);

        string[] expected = ["results.csv", "results.json", "learning_curves.png",
            $"param_{SweepStatuses.Lr}.png", $"param_{SweepStatuses.Wd}.png"];
        Assert.Equal(expected.Select(f => Path.Combine(directory, f)), written);
        Assert.All(written, f => Assert.True(File.Exists(f), f));
    }

    [Fact]
    public void CsvHasOneRowPerTrialWithParametersStateMetricsAndCheckpoint()
    {
        SweepReport.Write(SweepStatuses.Asha(), directory);

        var lines = File.ReadAllText(Path.Combine(directory, "results.csv")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, lines.Length);
        Assert.Equal($"trial,{SweepStatuses.Lr},{SweepStatuses.Wd},state,reason,epochs,last_metric,best_metric,best,experiment,checkpoint", lines[0]);
        Assert.Equal("sw-t000,0.001,0.0,completed,,4,0.7,0.7,false,sw-t000,file:///artifacts/experiments/sw-t000/best_acc_top1_epoch_4.pth", lines[1]);
        // The reason holds a comma: quoted.
        Assert.Equal("sw-t001,0.05,0.0001,stopped,\"stopped by ASHA at epoch 1, below the rung cutoff\",1,0.2,0.2,false,sw-t001," +
                     "file:///artifacts/experiments/sw-t001/best_acc_top1_epoch_1.pth", lines[2]);
        Assert.Equal("sw-t002,0.01,0.001,completed,,4,0.8,0.8,true,sw-t002,file:///artifacts/experiments/sw-t002/best_acc_top1_epoch_4.pth", lines[3]);
        Assert.Equal("sw-t003,0.003,0.0001,running,,2,0.45,0.45,false,sw-t003,", lines[4]);
        Assert.Equal("sw-t004,0.02,0.0,pending,,0,,,false,,", lines[5]);
    }

    [Fact]
    public void JsonHasTheSweepTheBestAndTypedTrials()
    {
        SweepReport.Write(SweepStatuses.Asha(), directory);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "results.json")));
        var root = json.RootElement;
        Assert.Equal("sw", root.GetProperty("sweep").GetString());
        Assert.Equal("acc/top1", root.GetProperty("metric").GetString());
        Assert.Equal("max", root.GetProperty("mode").GetString());
        var best = root.GetProperty("best");
        Assert.Equal("sw-t002", best.GetProperty("trial").GetString());
        Assert.Equal(0.8, best.GetProperty("metric").GetDouble());
        Assert.EndsWith("sw-t002/best_acc_top1_epoch_4.pth", best.GetProperty("checkpoint").GetString());
        var trials = root.GetProperty("trials").EnumerateArray().ToList();
        Assert.Equal(["sw-t000", "sw-t001", "sw-t002", "sw-t003", "sw-t004"], trials.Select(t => t.GetProperty("trial").GetString()));
        var stopped = trials[1];
        Assert.Equal(JsonValueKind.Number, stopped.GetProperty("parameters").GetProperty(SweepStatuses.Lr).ValueKind);
        Assert.Equal(0.05, stopped.GetProperty("parameters").GetProperty(SweepStatuses.Lr).GetDouble());
        Assert.Equal("stopped", stopped.GetProperty("state").GetString());
        Assert.Equal(1, stopped.GetProperty("epochs").GetInt32());
        Assert.Equal(0.2, stopped.GetProperty("last_metric").GetDouble());
        Assert.False(stopped.GetProperty("best").GetBoolean());
        Assert.True(trials[2].GetProperty("best").GetBoolean());
        Assert.Equal([0.4, 0.6, 0.75, 0.8], trials[2].GetProperty("history").EnumerateArray().Select(p => p.GetProperty("value").GetDouble()));
        Assert.Equal(JsonValueKind.Null, trials[4].GetProperty("last_metric").ValueKind);
        Assert.Equal(JsonValueKind.Null, trials[4].GetProperty("experiment").ValueKind);
    }

    [Fact]
    public void PlotsAreRealImagesWithTheBestTrialInRed()
    {
        SweepReport.Write(SweepStatuses.Asha(), directory);

        foreach (var name in new[] { "learning_curves.png", $"param_{SweepStatuses.Lr}.png", $"param_{SweepStatuses.Wd}.png" })
        {
            var path = Path.Combine(directory, name);
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(path)[..4]);
            using var bitmap = SKBitmap.Decode(path);
            Assert.NotNull(bitmap);
            Assert.Equal((SweepReport.Width, SweepReport.Height), (bitmap.Width, bitmap.Height));
            var (inked, red) = Count(bitmap);
            // Axes, ticks and labels alone ink well under 2% of a 1000x600 frame; curves and markers add to it.
            Assert.True(inked > bitmap.Width * bitmap.Height / 50, $"{name}: only {inked} non-background pixels");
            Assert.True(red > 100, $"{name}: the best trial is drawn in red, found {red} red pixels");
        }
    }

    [Fact]
    public void WithoutTheBestTrialNoPixelIsBestRed()
    {
        // The test above could pass on any red in the plot: a sweep with no best has none.
        var status = SweepStatuses.Asha() with { Best = null };
        SweepReport.Write(status, directory);

        using var bitmap = SKBitmap.Decode(Path.Combine(directory, "learning_curves.png"));
        Assert.Equal(0, Count(bitmap).Red);
    }

    [Fact]
    public void ASweepWithNoResultsStillWritesItsFiles()
    {
        var status = SweepStatuses.Asha() with { Trials = [SweepStatuses.Trial(0, "0.01", "0.0", TrialState.Pending, [])], Best = null };

        var written = SweepReport.Write(status, directory);

        Assert.Equal(5, written.Count);
        Assert.Equal(2, File.ReadAllLines(Path.Combine(directory, "results.csv")).Length);
        using var bitmap = SKBitmap.Decode(Path.Combine(directory, "learning_curves.png"));
        Assert.Equal(SweepReport.Width, bitmap.Width);
    }

    [Fact]
    public void LogTicksAreDecadesOrOneTwoFiveWithinTheData()
    {
        Assert.Equal([(-3.0, "0.001"), (-2.0, "0.01"), (-1.0, "0.1")], Rounded(LogTicks.For(0.001, 0.1)));
        Assert.Equal(["0.002", "0.005", "0.01", "0.02"], LogTicks.For(0.002, 0.03).Select(t => t.Label));
        static IEnumerable<(double, string)> Rounded(IEnumerable<(double Position, string Label)> ticks) =>
            ticks.Select(t => (Math.Round(t.Position, 9), t.Label));
    }

    [Fact]
    public void LoguniformKeysAreLogScaleAndWithoutTheSearchSpaceWideSpreadsAre()
    {
        var known = SweepTable.From(SweepStatuses.Asha());
        Assert.True(known.IsLogScale(SweepStatuses.Lr));
        Assert.False(known.IsLogScale(SweepStatuses.Wd)); // a choice, though its values span decades
        Assert.True(known.IsCategorical(SweepStatuses.Wd));

        var unknown = SweepTable.From(SweepStatuses.Asha() with { SearchSpace = new Dictionary<string, string>() });
        Assert.True(unknown.IsLogScale(SweepStatuses.Lr)); // 0.001 .. 0.05: a factor of 50
        Assert.False(unknown.IsLogScale(SweepStatuses.Wd)); // includes 0.0
    }

    [Theory]
    [InlineData("optim_wrapper.optimizer.lr", "param_optim_wrapper.optimizer.lr.png")]
    [InlineData("model/head lr", "param_model_head_lr.png")]
    public void ParameterFileNamesAreSafe(string key, string expected) => Assert.Equal(expected, SweepReport.ParameterFileName(key));

    /// <summary>Pixels that are not the white background, and those of the best trial's red (#d62728, anti-aliasing aside).</summary>
    private static (int Inked, int Red) Count(SKBitmap bitmap)
    {
        int inked = 0, red = 0;
        for (int y = 0; y < bitmap.Height; y++)
            for (int x = 0; x < bitmap.Width; x++)
            {
                var c = bitmap.GetPixel(x, y);
                if (c.Red < 245 || c.Green < 245 || c.Blue < 245) inked++;
                if (Math.Abs(c.Red - 0xd6) < 12 && Math.Abs(c.Green - 0x27) < 12 && Math.Abs(c.Blue - 0x28) < 12) red++;
            }
        return (inked, red);
    }
}
