using Cluster.Abstractions.Sweeps;
using Cluster.Tests.Client;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 5's failover acceptance on real processes: three silos (Redis membership, Azurite blobs, one CPU slot each,
/// scripts/local-cluster.sh) run a four-trial sweep submitted through the client; once a trial has completed and the
/// next one is training, the silo hosting the SweepGrain is killed with kill -9. The sweep comes back on a survivor from its stored state and finishes,
/// and every trial that had completed before the kill is still there with the same parameters and metrics.
/// </summary>
public sealed class SweepFailoverAcceptanceTests(ITestOutputHelper output) : IDisposable
{
    private const string Lr = "optim_wrapper.optimizer.lr";
    private readonly DemoDataset data = DemoDataset.Create("sweep-failover-", classes: 2, videosPerClass: 4, seed: 6, frames: 4);

    public void Dispose() => data.Dispose();

    private string WriteSpec()
    {
        string demo = DemoDataset.Config(Path.Combine("demo", "tsn_tiny_synth.yaml"));
        string path = Path.Combine(data.Root, "failover_sweep.yaml");
        File.WriteAllText(path, $$"""
            _base_: {{demo}}
            train_cfg: {max_epochs: 2}
            param_scheduler:
              - {type: MultiStepLR, begin: 0, end: 2, by_epoch: true, milestones: [3], gamma: 0.1}
            default_hooks:
              checkpoint: {interval: 1, save_best: auto, max_keep_ckpts: 1}
            search_space:
              {{Lr}}: {type: grid, values: [0.01, 0.02, 0.03, 0.04]}
            sweep:
              search_alg: grid
              num_samples: 1
              metric: acc/top1
              mode: max
              max_concurrent_trials: 1
              workers_per_trial: 1
              max_failures: 2
              seed: 0
              scheduler: {type: fifo}
            """);
        return path;
    }

    [Fact]
    public async Task Kill_9_of_the_silo_hosting_the_sweep_grain_loses_no_completed_trial_and_the_sweep_finishes()
    {
        await using var cluster = await LocalCluster.StartAsync(silos: 3);
        await cluster.EnsureRunningAsync(3);
        var submit = CliRunner.Run(["sweep", "submit", WriteSpec(), "--detach", "--gateway", await cluster.GatewaysAsync(),
            "--device", "cpu", .. data.Overrides().SelectMany(o => new[] { "--set", o })]);
        Assert.True(submit.ExitCode == 0, submit.Error);
        string id = Assert.Single(submit.OutputLines);

        // Mid-sweep: a trial has completed and the next one is training.
        var before = await WaitFor(cluster, id, s => s.Trials.Any(t => t.State == TrialState.Completed)
            && s.Trials.Any(t => t.State == TrialState.Running) && s.GrainSilo is not null, "a completed trial and a running one");
        Assert.Equal(SweepState.Running, before.State);
        var victim = (await cluster.ListAsync()).Single(s => s.Address == before.GrainSilo);
        await cluster.KillAsync(victim.Index);
        output.WriteLine($"killed {victim.Name} ({victim.Address}), host of the sweep grain, with: {Describe(before)}");

        var done = await WaitFor(cluster, id, s => s.State.IsTerminal(), "the end of the sweep", minutes: 5);

        output.WriteLine($"after: grain on {done.GrainSilo}: {Describe(done)}");
        Assert.True(done.State == SweepState.Completed, $"{done.State}: {done.Reason}; {Describe(done)}");
        Assert.NotEqual(victim.Address, done.GrainSilo);
        Assert.Equal(["0.01", "0.02", "0.03", "0.04"], done.Trials.Select(t => t.Parameters[Lr]));
        Assert.All(done.Trials, t => Assert.Equal((TrialState.Completed, 2), (t.State, t.Epoch)));
        foreach (var completed in before.Trials.Where(t => t.State == TrialState.Completed))
        {
            var after = done.Trials.Single(t => t.Id == completed.Id);
            Assert.Equal(completed.Parameters, after.Parameters);
            Assert.Equal(completed.History, after.History);
            Assert.Equal((completed.LastMetric, completed.ExperimentId), (after.LastMetric, after.ExperimentId));
        }
        var best = done.Trials.Where(t => t.LastMetric is not null).Max(t => t.LastMetric);
        Assert.Equal(best, done.Best?.Metric);
    }

    private static string Describe(SweepStatus status) =>
        string.Join("; ", status.Trials.Select(t => $"{t.Id} {t.State} ({t.Reason}) epoch {t.Epoch}"));

    /// <summary>Polls the sweep (reactivated on a survivor after the kill); a liveness bound, not a timing assertion.
    /// Calls fail while membership has not yet dropped the dead silo.</summary>
    private static async Task<SweepStatus> WaitFor(LocalCluster cluster, string id, Func<SweepStatus, bool> done, string what,
        double minutes = 3)
    {
        var grain = cluster.Client.GetGrain<ISweepGrain>(id);
        var deadline = DateTime.UtcNow.AddMinutes(minutes);
        SweepStatus? seen = null;
        Exception? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                seen = await grain.GetStatus();
                if (done(seen)) return seen;
                if (seen.State.IsTerminal()) break;
            }
            catch (Exception e)
            {
                last = e;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"sweep {id}: no {what} (last {seen?.State}: {seen?.Reason}; {(seen is null ? "" : Describe(seen))}); "
            + $"last error: {last?.Message}\n{cluster.Diagnostics()}");
    }
}
