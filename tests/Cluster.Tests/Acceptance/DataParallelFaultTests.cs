using Cluster.Abstractions.Experiments;
using Cluster.Tests.Experiments;
using Cluster.Tests.Infrastructure;

namespace Cluster.Tests.Acceptance;

/// <summary>
/// Issue 4's elastic fault tolerance on real silo processes: a 3-worker group (min_workers 2, one CPU slot per silo)
/// loses a worker's silo mid-run, to kill -9 (dead) or SIGSTOP (hung, caught by the collective timeout or by
/// membership), re-forms on the two survivors with a new generation, resumes from its last checkpoint and completes
/// with every epoch in its history exactly once. The killed or paused silo is never the one hosting the experiment
/// grain (that failover is issue 3's acceptance): these tests are about the group.
/// </summary>
public sealed partial class DataParallelClusterTests
{
    private const int Workers = 3;
    // Enough epochs that the fault lands mid-run on a quiet machine too (an epoch there takes about half a second).
    private const int Epochs = 10;
    // 3 classes × 12 videos (2 per class for validation): 30 training clips, 5 steps per epoch per worker at batch 2.
    private readonly DemoDataset faults = DemoDataset.Create("dp-faults-", classes: 3, videosPerClass: 12, seed: 5, frames: 8);

    private string Config(string name) => DataParallelRuns.WriteConfig(faults, name, batchSize: 2, Epochs,
        $"workers: {Workers}\nmin_workers: 2\ndistributed: {{collective_timeout: 10}}");

    [Fact]
    public async Task Kill_9_of_a_worker_silo_mid_epoch_re_forms_the_group_on_the_survivors_and_completes()
    {
        var cluster = fixture.Cluster;
        await cluster.EnsureRunningAsync(Workers);
        string id = DataParallelRuns.Submit(await cluster.GatewaysAsync(), Config("kill"));
        var (before, victim) = await MidRunVictim(cluster, id);

        await cluster.KillAsync(victim);

        var done = await DataParallelRuns.Completed(cluster, id);
        AssertReformedWithout(victim, before, done);
    }

    [Fact]
    public async Task A_hung_worker_silo_is_caught_and_the_group_re_forms_on_the_survivors_and_completes()
    {
        var cluster = fixture.Cluster;
        await cluster.EnsureRunningAsync(Workers);
        string id = DataParallelRuns.Submit(await cluster.GatewaysAsync(), Config("hang"));
        var (before, victim) = await MidRunVictim(cluster, id);

        await cluster.PauseAsync(victim);
        ExperimentStatus done;
        try
        {
            done = await DataParallelRuns.Completed(cluster, id);
        }
        finally
        {
            // The hung silo was declared dead meanwhile; it must not come back into later tests.
            await cluster.KillAsync(victim.Index);
        }
        AssertReformedWithout(victim, before, done);
    }

    /// <summary>Waits until the group trains past its first stored checkpoint, and picks a worker silo other than
    /// the experiment grain's.</summary>
    private static async Task<(ExperimentStatus Status, LocalCluster.Silo Victim)> MidRunVictim(LocalCluster cluster, string id)
    {
        var silos = await cluster.ListAsync(); // listed first: the fault must follow the status below at once
        var running = await DataParallelRuns.WaitFor(cluster, id,
            s => s.State == ExperimentState.Running && s.Workers.Count == Workers && s.Checkpoints.Count > 0
                 && s.Progress is { Epoch: >= 2 } && s.GrainSilo is not null,
            "a 3-worker group training past its first checkpoint");
        Assert.True(running.History.Count < Epochs - 2, $"the run was at epoch {running.Progress?.Epoch} of {Epochs}: too late to lose a silo mid-run");
        var victim = silos.First(s => s.IsRunning && s.Address != running.GrainSilo && running.Workers.Any(w => w.Silo == s.Name));
        return (running, victim);
    }

    private static void AssertReformedWithout(LocalCluster.Silo victim, ExperimentStatus before, ExperimentStatus done)
    {
        Assert.True(done.Generation > before.Generation,
            $"generation {done.Generation} after {before.Generation}: the group was not re-formed (the fault came at epoch " +
            $"{before.Progress?.Epoch}; history {string.Join(',', done.History.Select(h => h.Epoch))}, restarts {done.Restarts})");
        Assert.True(done.Restarts >= 1, $"restarts {done.Restarts}");
        Assert.Equal(Enumerable.Range(1, Epochs), done.History.Select(h => h.Epoch)); // each epoch exactly once, none lost
        Assert.Equal(Workers - 1, done.Workers.Count);
        Assert.DoesNotContain(done.Workers, w => w.Silo == victim.Name || w.WorkerKey.StartsWith(victim.Address, StringComparison.Ordinal));
        Assert.Equal(done.Workers.Count, done.Workers.Select(w => w.Silo).Distinct().Count());
        Assert.Contains(done.Checkpoints, c => c.Epoch == Epochs);
    }
}
