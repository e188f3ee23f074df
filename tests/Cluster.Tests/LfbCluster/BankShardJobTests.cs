using Cluster.Training.BankJobs;
using Cluster.Training.Configs;
using Cluster.Training.Lfb;

namespace Cluster.Tests.LfbCluster;

/// <summary>
/// One shard's bank computed in process, as a worker does: one feature per kept proposal at every annotated second,
/// and shards of the videos merge into the bank of the whole split.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class BankShardJobTests : IDisposable
{
    private readonly BankTestSet data = BankTestSet.Create("bank-job-", videos: 3, seconds: 5);

    public void Dispose() => data.Dispose();

    [Fact]
    public void EveryKeptProposalGetsOneFeatureAndShardsMergeIntoTheWholeSplit()
    {
        var input = BankInput.From(ConfigLoader.Load(data.ConfigPath), "val");
        Assert.Equal(data.ValVideos, BankShardJob.SplitVideos(input));

        var whole = BankShardJob.Prepare(input, data.ValVideos, "cpu", artifacts: null).Run();
        var first = BankShardJob.Prepare(input, data.ValVideos.Take(1).ToList(), "cpu", null).Run();
        var rest = BankShardJob.Prepare(input, data.ValVideos.Skip(1).ToList(), "cpu", null).Run();

        Assert.Equal(64, whole.Channels);
        Assert.Equal(data.ValVideos, whole.Videos);
        // Annotated seconds 901..904; the 0.3 stray proposal is under the 0.85 threshold: persons = annotated persons.
        var annotated = File.ReadLines(Path.Combine(data.Root, "val.csv")).Select(l => l.Split(','))
            .GroupBy(f => (f[0], int.Parse(f[1]))).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(annotated.Count, whole.SecondCount);
        foreach (var ((video, second), persons) in annotated)
            Assert.Equal(persons, whole.PersonsAt(video, second));
        Assert.Equal(["vid00"], first.Videos);
        var merged = FeatureBank.Merge([first, rest]);
        Assert.Equal(whole.PersonCount, merged.PersonCount);
        foreach (var video in whole.Videos)
            foreach (var (second, _) in whole.SecondsOf(video))
            {
                var a = whole.Get(video, second);
                var b = merged.Get(video, second);
                for (int i = 0; i < a.Length; i++) Assert.True(Math.Abs(a[i] - b[i]) <= 1e-5f * (1 + Math.Abs(a[i])), $"{video} {second} [{i}]");
            }

        // The train split reads the same files here, in test mode through val's pipeline: the same bank.
        var train = BankInput.From(ConfigLoader.Load(data.ConfigPath), "train");
        Assert.True(train.Dataset.TestMode);
        Assert.True(whole.ContentEquals(BankShardJob.Prepare(train, data.ValVideos, "cpu", null).Run()));
    }

    [Fact]
    public void AConfigWithoutLoadFromOrWithAMissingCheckpointIsRefusedNamingTheKey()
    {
        var none = Assert.Throws<ConfigException>(() => BankInput.From(ConfigLoader.Load(data.ConfigPath, ["load_from=null"]), "val"));
        var missing = Assert.Throws<ConfigException>(() =>
            BankInput.From(ConfigLoader.Load(data.ConfigPath, [$"load_from={Path.Combine(data.Root, "gone.pth")}"]), "train"));

        Assert.Equal("load_from", none.KeyPath);
        Assert.Contains("gone.pth", missing.Message);
    }
}
