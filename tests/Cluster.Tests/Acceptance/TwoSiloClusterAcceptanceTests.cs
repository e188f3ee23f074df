using System.Text.Json;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Tests.Client;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 3's acceptance on real processes: two <c>cluster silo --mode redis</c> processes (Redis membership, state and
/// reminders; checkpoints in Azurite), driven through the <c>cluster</c> client. Kill -9 of the silo hosting the
/// ExperimentGrain mid-run: the grain comes back on the survivor from Redis and the run completes from its last
/// checkpoint with every epoch recorded once; a cancel mid-epoch ends the run and frees its slot.
/// </summary>
[Collection(GlobalTorchRandomCollection.Name)]
public sealed class TwoSiloClusterAcceptanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string ClusterId = "cluster"; // what a client assumes without CLUSTER_ID; this test has its own Redis
    private const string Container = "checkpoints";
    private const int Epochs = 5;
    private readonly DemoDataset data = DemoDataset.Create("two-silo-", classes: 3, videosPerClass: 6, seed: 7, frames: 8);
    private readonly RedisProcess redis = RedisProcess.Start();
    private readonly List<SiloProcess> silos = [];
    private AzuriteProcess? azurite;
    private string settingsFile = "";

    public async Task InitializeAsync()
    {
        azurite = await AzuriteProcess.StartAsync();
        settingsFile = Path.Combine(data.Root, "silo-settings.json");
        File.WriteAllText(settingsFile, JsonSerializer.Serialize(new
        {
            Cluster = new { Storage = new { Kind = "azure", azurite.ConnectionString, Container } },
        }));
        silos.AddRange(await Task.WhenAll(StartSilo("a"), StartSilo("b")));
    }

    private Task<SiloProcess> StartSilo(string name) => SiloProcess.StartAsync(
        "--mode", "redis", "--redis", redis.Endpoint, "--name", name, "--cluster-id", ClusterId,
        "--silo-port", "0", "--gateway-port", "0", "--advertised-ip", "127.0.0.1", "--devices", "cpu",
        "--scratch-path", Path.Combine(data.Root, "scratch-" + name), "--config", settingsFile);

    private static string GatewayOf(SiloProcess silo)
    {
        const string marker = ", gateway ";
        var start = silo.ReadyLine.IndexOf(marker, StringComparison.Ordinal) + marker.Length;
        return "127.0.0.1:" + new string(silo.ReadyLine[start..].TakeWhile(char.IsDigit).ToArray());
    }

    private string[] Train(string gateway, int epochs) =>
    [
        "train", DemoDataset.Config("demo/tsn_tiny_synth.yaml"), "--gateway", gateway, "--device", "cpu", "--detach", "--json",
        .. data.Overrides().Concat([$"train_cfg.max_epochs={epochs}", $"param_scheduler.0.end={epochs}", "param_scheduler.0.milestones=[2]",
                "default_hooks.checkpoint.interval=1", "default_hooks.checkpoint.max_keep_ckpts=-1"])
            .SelectMany(o => new[] { "--set", o }),
    ];

    [Fact]
    public async Task A_run_survives_kill_9_of_its_grain_silo_and_a_cancel_frees_its_slot()
    {
        // The observer connects before the submission: a client still connecting could miss the whole (short) run.
        using var client = RedisClusterClient.Start(redis.Endpoint, ClusterId);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        await grains.GetGrain<IClusterRegistryGrain>(0).GetView();
        var gateways = string.Join(',', silos.Select(GatewayOf));
        var submit = CliRunner.Run(Train(gateways, Epochs));
        Assert.True(submit.ExitCode == 0, submit.Error);
        var id = submit.OutputLines[0];

        var experiment = grains.GetGrain<IExperimentGrain>(id);
        var running = await WaitFor(experiment, s => s.State == ExperimentState.Running && s.Checkpoints.Count > 0 && s.GrainSilo is not null,
            "a stored checkpoint");
        Assert.True(running.History.Count < Epochs, "the run ended before the kill could happen mid-run");
        var victim = silos.Single(s => s.Address == running.GrainSilo);
        var survivor = silos.Single(s => s != victim);

        victim.Kill();

        var done = await WaitFor(experiment, s => s.State.IsTerminal(), "the end of the run", minutes: 5);
        var logs = await experiment.GetLogs(0, 10_000);
        output.WriteLine($"killed {victim.Address} (the grain's silo) with epochs [{string.Join(",", running.History.Select(h => h.Epoch))}] " +
                         $"on {string.Join(", ", running.Workers.Select(w => w.WorkerKey))}; the run's log:");
        foreach (var line in logs.Lines) output.WriteLine("  " + line);
        Assert.True(done.State == ExperimentState.Completed, $"{done.State}: {done.Reason}\n" + string.Join('\n', logs.Lines));
        Assert.Equal(survivor.Address, done.GrainSilo);
        Assert.Equal(Enumerable.Range(1, Epochs), done.History.Select(h => h.Epoch));
        Assert.All(done.Workers, w => Assert.StartsWith(survivor.Address, w.WorkerKey));
        if (running.Workers.Any(w => w.WorkerKey.StartsWith(victim.Address, StringComparison.Ordinal)))
        {
            // The worker died with the grain's silo: the run restarted on the survivor from its last stored checkpoint.
            Assert.True(done.Restarts >= 1, string.Join('\n', logs.Lines));
            Assert.Contains(logs.Lines, line => line.Contains("resuming epoch", StringComparison.Ordinal));
        }
        else
        {
            // The worker survived: the reactivated grain adopted it, the same generation trained on.
            Assert.True(running.Generation == done.Generation,
                $"generation {running.Generation} became {done.Generation}:\n" + string.Join('\n', logs.Lines));
        }

        // Every listed checkpoint is a blob in Azurite whose bytes match the recorded SHA-256.
        var store = new AzureBlobArtifactStore(azurite!.ConnectionString, Container);
        Assert.Contains(done.Checkpoints, c => c.Epoch == Epochs);
        foreach (var checkpoint in done.Checkpoints)
        {
            var local = Path.Combine(data.Root, "verify", Path.GetFileName(checkpoint.Key));
            var info = await store.GetFileAsync(checkpoint.Key, local);
            Assert.Equal(checkpoint.Sha256, info.Sha256);
            Assert.Equal(checkpoint.Bytes, new FileInfo(local).Length);
            Assert.StartsWith(azurite.BlobEndpoint, checkpoint.Uri);
        }

        var status = CliRunner.Run("status", id, "--json", "--gateway", GatewayOf(survivor));
        Assert.True(status.ExitCode == 0, status.Error);
        using (var json = JsonDocument.Parse(status.OutputLines[^1]))
        {
            Assert.Equal("Completed", json.RootElement.GetProperty("state").GetString());
            Assert.InRange(json.RootElement.GetProperty("metrics").GetProperty("top1").GetDouble(), 0, 1);
        }

        // Cancel mid-epoch on the surviving silo: Cancelled at once, and its slot is free again.
        var second = CliRunner.Run(Train(GatewayOf(survivor), epochs: 50));
        Assert.True(second.ExitCode == 0, second.Error);
        var secondId = second.OutputLines[0];
        await WaitFor(grains.GetGrain<IExperimentGrain>(secondId), s => s.Progress is not null, "training progress");

        var cancel = CliRunner.Run("cancel", secondId, "--gateway", GatewayOf(survivor));

        Assert.True(cancel.ExitCode == 0, cancel.Error);
        Assert.Contains("Cancelled", cancel.Output);
        var cancelled = await grains.GetGrain<IExperimentGrain>(secondId).GetStatus();
        Assert.Equal(ExperimentState.Cancelled, cancelled.State);
        Assert.True(cancelled.History.Count < 50);
        var view = await grains.GetGrain<IClusterRegistryGrain>(0).GetView();
        var slots = view.Silos.Where(s => s.Silo.Address == survivor.Address).SelectMany(s => s.Slots).ToList();
        Assert.NotEmpty(slots);
        Assert.All(slots, slot => Assert.Null(slot.ExperimentId));
    }


    /// <summary>Polls the grain (which reactivates it after a failover) until the condition holds; a liveness bound only.</summary>
    private static async Task<ExperimentStatus> WaitFor(IExperimentGrain grain, Func<ExperimentStatus, bool> done, string what, int minutes = 3)
    {
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                var status = await grain.GetStatus();
                if (done(status)) return status;
                if (status.State.IsTerminal())
                    throw new InvalidOperationException($"the run ended {status.State} ({status.Reason}) before {what}, " +
                        $"with epochs [{string.Join(",", status.History.Select(h => h.Epoch))}] and {status.Checkpoints.Count} checkpoint(s); " +
                        $"last call error: {last?.Message ?? "none"}");
            }
            catch (Exception e) when (e is not InvalidOperationException)
            {
                last = e; // calls through a killed silo's gateway fail until membership drops it
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"no {what} within {minutes} min; last error: {last?.Message}");
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in silos) silo.Dispose();
        redis.Dispose();
        if (azurite is not null) await azurite.DisposeAsync();
        data.Dispose();
    }
}
