using System.Text.Json;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Lfb;
using Cluster.Abstractions.Workers;
using Cluster.Tests.Client;
using Cluster.Tests.Infrastructure;
using Cluster.Tests.LfbCluster;
using Cluster.Training.Lfb;
using Cluster.Training.Storage;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 6's bank acceptance on real processes (scripts/local-cluster.sh: Redis membership, Azurite blobs, two
/// <c>cluster silo</c> processes with one CPU slot and one torch thread each), driven through <c>cluster lfb compute</c>
/// on a small synthetic AVA set: the bank computed across two silos is byte-for-byte the bank computed on one slot;
/// float16 halves it; a kill -9 of the silo hosting the bank grain mid-computation resumes on the survivor and no
/// shard that had finished is computed again (its shard grain counts one computation and its part blob is untouched);
/// a cancelled bank frees its slots, and computing it again keeps the shards it finished.
/// </summary>
[Collection(FeatureBankClusterCollection.Name)]
public sealed class FeatureBankClusterAcceptanceTests(FeatureBankClusterFixture fixture, ITestOutputHelper output)
{
    private LocalCluster Cluster => fixture.Cluster;
    private BankTestSet Data => fixture.Data;
    private BankTestSet LongData => fixture.LongData;

    private Task<CliRunner.Result> Compute(string bank, string dtype, int shards, params string[] more) =>
        Compute(Data, bank, dtype, shards, more);

    private async Task<CliRunner.Result> Compute(BankTestSet data, string bank, string dtype, int shards, params string[] more)
    {
        var result = CliRunner.Run(["lfb", "compute", data.ConfigPath, "--split", "val", "--bank", bank, "--dtype", dtype,
            "--shards", shards.ToString(), "--device", "cpu", "--gateway", await Cluster.GatewaysAsync(), "--json", .. more]);
        output.WriteLine($"lfb compute {bank} ({dtype}, {shards} shards {string.Join(' ', more)}): exit {result.ExitCode}");
        foreach (var line in result.ErrorLines) output.WriteLine("  " + line);
        return result;
    }

    private async Task<(byte[] Bytes, FeatureBank Bank)> Download(string key)
    {
        var store = new AzureBlobArtifactStore(Cluster.StorageConnectionString, Cluster.Container);
        var bytes = await store.GetBytesAsync(key);
        using var stream = new MemoryStream(bytes);
        return (bytes, FeatureBankFile.Read(stream, key));
    }

    [Fact]
    public async Task A_bank_computed_across_two_silos_equals_the_bank_computed_on_one_slot_and_float16_halves_it()
    {
        await Cluster.EnsureRunningAsync(2);

        var one = await Compute("eq-one", "float32", shards: 4, "--workers", "1");
        var two = await Compute("eq-two", "float32", shards: 4);
        var half = await Compute("eq-half", "float16", shards: 4);

        Assert.True(one.ExitCode == 0, one.Error + Cluster.Diagnostics());
        Assert.True(two.ExitCode == 0, two.Error + Cluster.Diagnostics());
        Assert.True(half.ExitCode == 0, half.Error + Cluster.Diagnostics());
        var oneStatus = await Cluster.Client.GetGrain<IFeatureBankGrain>("eq-one").GetStatus();
        var twoStatus = await Cluster.Client.GetGrain<IFeatureBankGrain>("eq-two").GetStatus();
        var oneSilos = oneStatus.Split("val")!.Shards.Select(s => SiloOf(s.Worker!)).Distinct().ToList();
        var twoSilos = twoStatus.Split("val")!.Shards.Select(s => SiloOf(s.Worker!)).Distinct().ToList();
        output.WriteLine($"eq-one ran on {string.Join(", ", oneSilos)}; eq-two on {string.Join(", ", twoSilos)}");
        Assert.Single(oneSilos);
        Assert.Equal(2, twoSilos.Count);

        var (oneBytes, oneBank) = await Download(BankSplits.BankKey("eq-one", "val"));
        var (twoBytes, twoBank) = await Download(BankSplits.BankKey("eq-two", "val"));
        var (halfBytes, halfBank) = await Download(BankSplits.BankKey("eq-half", "val"));
        Assert.Equal(Data.ValVideos.Order(StringComparer.Ordinal), oneBank.Videos);
        Assert.True(oneBank.PersonCount > 0);
        Assert.True(oneBank.ContentEquals(twoBank), "the two banks' features differ");
        Assert.Equal(oneBytes, twoBytes);

        double ratio = (double)halfBytes.Length / oneBytes.Length;
        output.WriteLine($"float32 {oneBytes.Length} bytes, float16 {halfBytes.Length} bytes: ratio {ratio:0.000}");
        Assert.InRange(ratio, 0.45, 0.55);
        Assert.Equal(oneBank.PersonCount, halfBank.PersonCount);
        AssertClose(oneBank, halfBank, relative: 2e-3);

        // The JSON line and `lfb info` of the stored file agree with the file.
        using (var json = JsonDocument.Parse(two.OutputLines[^1]))
        {
            Assert.Equal("completed", json.RootElement.GetProperty("state").GetString());
            Assert.Equal(twoBytes.Length, json.RootElement.GetProperty("bank_bytes").GetInt64());
            Assert.Equal(twoBank.PersonCount, json.RootElement.GetProperty("features").GetInt64());
        }
        string local = Path.Combine(Data.Root, "eq-half.bank");
        await File.WriteAllBytesAsync(local, halfBytes);
        var info = CliRunner.Run("lfb", "info", local, "--json");
        Assert.True(info.ExitCode == 0, info.Error);
        using (var json = JsonDocument.Parse(info.OutputLines[^1]))
        {
            Assert.Equal("float16", json.RootElement.GetProperty("dtype").GetString());
            Assert.Equal(halfBytes.Length, json.RootElement.GetProperty("bytes").GetInt64());
            Assert.Equal(Data.ValVideos.Count, json.RootElement.GetProperty("videos").GetInt32());
            Assert.Equal(halfBank.PersonCount, json.RootElement.GetProperty("persons").GetInt64());
        }
    }

    [Fact]
    public async Task Kill_9_of_the_bank_grains_silo_mid_computation_resumes_without_recomputing_finished_shards()
    {
        await Cluster.EnsureRunningAsync(2);
        const string id = "crash";
        int shards = LongData.ValVideos.Count;
        // One slot at a time over the long videos: the shards run one after another, so a finished shard and a
        // running one are seen for seconds rather than for the instant between two short shards on a quiet machine.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var submit = await Compute(LongData, id, "float32", shards, "--detach", "--workers", "1");
        Assert.True(submit.ExitCode == 0, submit.Error);
        var grain = Cluster.Client.GetGrain<IFeatureBankGrain>(id);

        await WaitFor(grain, s => s.ShardsDone >= 1 && s.ShardsDone < s.ShardsTotal - 1 && s.Shards.Any(x => x.State == "running"),
            "a finished shard and a running one");
        var status = await grain.GetStatus();
        var before = status.Split("val")!;
        var victim = (await Cluster.ListAsync()).Single(s => s.Address == status.GrainSilo);
        var store = new AzureBlobArtifactStore(Cluster.StorageConnectionString, Cluster.Container);
        var finished = new List<(BankShardView Shard, ArtifactInfo Blob)>();
        foreach (var shard in before.Shards.Where(s => s.State == "done"))
            finished.Add((shard, (await store.GetInfoAsync(BankSplits.PartKey(id, "val", shard.Index)))!));
        await Cluster.KillAsync(victim.Index);
        output.WriteLine($"killed {victim.Name} (bank grain's silo) {clock.Elapsed.TotalSeconds:0.0} s after the submit, with {before.ShardsDone}/{before.ShardsTotal} shards done: " +
                         string.Join(", ", before.Shards.Select(s => $"{s.Index}:{s.State}")));

        var done = await WaitFor(grain, s => s.State.IsTerminal(), "the end of the bank", minutes: 5);

        Assert.True(done.State == BankState.Completed, $"{done.State}: {done.Reason}\n{Cluster.Diagnostics()}");
        var after = await grain.GetStatus();
        Assert.NotEqual(victim.Address, after.GrainSilo);
        output.WriteLine($"completed on {after.GrainSilo}: retries {done.Retries}, " +
                         string.Join(", ", done.Shards.Select(s => $"{s.Index}:{s.Attempts} attempt(s)")));
        foreach (var (shard, blob) in finished)
        {
            var work = await Cluster.Client.GetGrain<IDatasetShardGrain>(shard.Key).GetBankWork(id);
            Assert.Equal(1, work!.Computations);
            var now = await store.GetInfoAsync(blob.Key);
            Assert.Equal((blob.Sha256, blob.LastModified), (now!.Sha256, now.LastModified));
            Assert.Equal(1, done.Shards.Single(s => s.Index == shard.Index).Attempts);
        }
        var (_, bank) = await Download(BankSplits.BankKey(id, "val"));
        Assert.Equal(LongData.ValVideos.Order(StringComparer.Ordinal), bank.Videos);
        Assert.Equal(done.Features, bank.PersonCount);
        clock.Restart();
        var reference = LongData.ReferenceBank();
        output.WriteLine($"the reference bank took {clock.Elapsed.TotalSeconds / shards:0.00} s per video in this process");
        AssertClose(reference, bank, relative: 1e-4);
    }

    [Fact]
    public async Task A_cancelled_bank_frees_its_slots_and_computing_it_again_keeps_its_finished_shards()
    {
        await Cluster.EnsureRunningAsync(2);
        const string id = "cancel-resume";
        var submit = await Compute(LongData, id, "float32", LongData.ValVideos.Count, "--detach", "--workers", "1");
        Assert.True(submit.ExitCode == 0, submit.Error);
        var grain = Cluster.Client.GetGrain<IFeatureBankGrain>(id);
        await WaitFor(grain, s => s.ShardsDone >= 1 && s.ShardsDone < s.ShardsTotal, "a finished shard");
        string gateways = await Cluster.GatewaysAsync();

        // The grain is cancelled at once (the CLI's client would take longer to connect than the remaining shards may
        // take on a quiet machine); the CLI's cancel then finds it cancelled and says so.
        var cancelledNow = (await grain.Cancel("cancelled by the test")).Split("val")!;
        var cancel = CliRunner.Run("lfb", "cancel", id, "--gateway", gateways);

        Assert.Equal(BankState.Cancelled, cancelledNow.State);
        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.Contains("cancelled", cancel.Output);
        var cancelled = (await grain.GetStatus()).Split("val")!;
        Assert.Equal(BankState.Cancelled, cancelled.State);
        var view = await Cluster.Client.GetGrain<Cluster.Abstractions.Registry.IClusterRegistryGrain>(0).GetView();
        Assert.DoesNotContain(view.Silos.SelectMany(s => s.Slots), slot => slot.ExperimentId == BankSplits.LeaseId(id));
        var finished = cancelled.Shards.Where(s => s.State == "done").ToList();
        output.WriteLine($"cancelled with shards {string.Join(", ", cancelled.Shards.Select(s => $"{s.Index}:{s.State}"))}");

        var again = await Compute(LongData, id, "float32", LongData.ValVideos.Count);

        Assert.True(again.ExitCode == 0, again.Error + Cluster.Diagnostics());
        var done = (await grain.GetStatus()).Split("val")!;
        Assert.Equal(BankState.Completed, done.State);
        foreach (var shard in finished)
        {
            Assert.Equal(1, (await Cluster.Client.GetGrain<IDatasetShardGrain>(shard.Key).GetBankWork(id))!.Computations);
            Assert.Equal(shard.Attempts, done.Shards.Single(s => s.Index == shard.Index).Attempts);
        }

        var status = CliRunner.Run("lfb", "status", id, "--json", "--gateway", gateways);
        var list = CliRunner.Run("lfb", "list", "--json", "--gateway", gateways);
        var unknown = CliRunner.Run("lfb", "status", "no-such-bank", "--gateway", gateways);
        Assert.True(status.ExitCode == 0, status.Error);
        using (var json = JsonDocument.Parse(status.OutputLines[^1]))
            Assert.Equal("completed", json.RootElement[0].GetProperty("state").GetString());
        Assert.True(list.ExitCode == 0, list.Error);
        using (var json = JsonDocument.Parse(list.OutputLines[^1]))
            Assert.Contains(json.RootElement.EnumerateArray(), b => b.GetProperty("id").GetString() == id && b.GetProperty("state").GetString() == "completed");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no-such-bank", Assert.Single(unknown.ErrorLines));
    }

    private static string SiloOf(string workerKey) => WorkerKey.Parse(workerKey).SiloAddress;

    /// <summary>Same (video, second) entries and person counts, values within a relative tolerance of the largest.</summary>
    private static void AssertClose(FeatureBank expected, FeatureBank actual, double relative)
    {
        Assert.Equal(expected.Videos, actual.Videos);
        foreach (var video in expected.Videos)
        {
            Assert.Equal(expected.SecondsOf(video), actual.SecondsOf(video));
            foreach (var (second, _) in expected.SecondsOf(video))
            {
                var a = expected.Get(video, second);
                var b = actual.Get(video, second);
                float scale = 1e-6f;
                for (int i = 0; i < a.Length; i++) scale = Math.Max(scale, Math.Abs(a[i]));
                for (int i = 0; i < a.Length; i++)
                    Assert.True(Math.Abs(a[i] - b[i]) <= relative * scale, $"{video} {second} [{i}]: {a[i]} vs {b[i]}");
            }
        }
    }

    private static async Task<BankSplitStatus> WaitFor(IFeatureBankGrain grain, Func<BankSplitStatus, bool> done, string what, int minutes = 3)
    {
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = (await grain.GetStatus()).Split("val")!;
                if (done(status)) return status;
                if (status.State.IsTerminal()) throw new InvalidOperationException($"the bank ended {status.State} ({status.Reason}) before {what}");
                last = null;
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                last = e; // the grain's silo died: its calls fail until it is back on the survivor
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"no {what} within {minutes} min{(last is null ? "" : $" (last error: {last.Message})")}");
    }
}

/// <summary>One local cluster of two silos and one synthetic AVA set for the bank acceptance tests.</summary>
public sealed class FeatureBankClusterFixture : IAsyncLifetime
{
    public LocalCluster Cluster { get; private set; } = null!;
    public BankTestSet Data { get; private set; } = null!;

    /// <summary>Videos long and large enough that one shard takes half a second or more on a warm silo (a short one
    /// takes a tenth of a second, so six of them could all finish before the test's first look), for the tests that
    /// must act while a bank is part-way done.</summary>
    public BankTestSet LongData { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Data = BankTestSet.Create("bank-accept-");
        LongData = BankTestSet.Create("bank-accept-long-", seconds: 60, frameSize: 128);
        Cluster = await LocalCluster.StartAsync(silos: 2);
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Data.Dispose();
        LongData.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class FeatureBankClusterCollection : ICollectionFixture<FeatureBankClusterFixture>
{
    public const string Name = "feature bank local cluster";
}
