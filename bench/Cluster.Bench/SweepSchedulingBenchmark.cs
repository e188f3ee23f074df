using System.Diagnostics;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Sweeps;
using Cluster.Silo;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Bench;

/// <summary>
/// Benchmark 5: the SweepGrain's own cost, with simulated trials that only report metrics. An embedded silo (the
/// product's host: file grain state, registry, experiment grains) runs an ASHA sweep (grace 1, rf 2, max_t 2) of N
/// random-search trials, 8 at once. The silo's one CPU slot is leased beforehand, so every trial's ExperimentGrain is
/// really submitted but waits Pending and trains nothing; the benchmark plays each live trial's experiment and sends
/// <see cref="ISweepGrain.TrialReported"/> (one-way, as experiments send it) with a random acc/top1 at epoch 1 (ASHA's
/// rung: continue or stop) and, if it continued, at epoch 2 (max_t: complete). Handling a report, the grain persists its
/// decision and makes the calls that follow: cancelling the ended trial's experiment and submitting the next trial's.
/// <list type="bullet">
/// <item>slot freed → next trial started: from sending a report that ends a trial (trials left to start) to the
/// next trial's ExperimentGrain recording its creation (its <c>CreatedAt</c>, same clock); baseline: a plain grain call
/// round trip (the sweep index's List) measured just before.</item>
/// <item>time per report: sending a report that only records a rung result, then asking the sweep's status until it
/// shows the result; baseline: the same status call alone just before; the difference is the report's handling.</item>
/// </list>
/// </summary>
public static class SweepSchedulingBenchmark
{
    public const string Name = "sweep grain";
    private const string SlotHolder = "bench-slot-holder";
    private const int Concurrent = 8;

    public sealed record Settings(IReadOnlyList<int> TrialCounts);

    public static IReadOnlyList<BenchRow> Run(Settings settings, string workDir)
    {
        var baseConfig = DemoDataset.Prepare(Path.Combine(workDir, "sweep-synth"), videosPerClass: 1,
            ["val_dataloader=null", "test_dataloader=null", "train_cfg.max_epochs=2"]).ToYaml();
        using var silo = new EmbeddedSilo(workDir, "sweep-silo");
        var client = silo.Client;
        var registry = client.GetGrain<IClusterRegistryGrain>(0);
        // The sweep checks that a trial fits the cluster (one slot); held here, every trial experiment stays Pending.
        // (The silo registers its slot just after it started.)
        var waited = Stopwatch.StartNew();
        while (registry.Allocate(SlotHolder, 1, 1, null).GetAwaiter().GetResult().Count != 1)
        {
            if (waited.Elapsed > TimeSpan.FromSeconds(30))
                throw new InvalidOperationException("could not lease the silo's CPU slot within 30 s");
            Thread.Sleep(100);
        }
        var rows = new List<BenchRow>();
        foreach (int trials in settings.TrialCounts)
            rows.AddRange(RunSweep(client, baseConfig, trials));
        return rows;
    }

    private static Samples Differences(Samples value, Samples baseline)
    {
        var differences = new Samples();
        foreach (var (v, b) in value.Values.Zip(baseline.Values)) differences.Add(v - b);
        return differences;
    }

    private static IEnumerable<BenchRow> RunSweep(IClusterClient client, string baseConfig, int trials)
    {
        var id = $"bench-sweep-{trials}";
        var sweep = client.GetGrain<ISweepGrain>(id);
        var index = client.GetGrain<ISweepIndexGrain>(0);
        var spec = baseConfig + $$"""

            search_space:
              optim_wrapper.optimizer.lr: {type: loguniform, lower: 0.0001, upper: 0.1}
            sweep:
              search_alg: random
              num_samples: {{trials}}
              metric: acc/top1
              mode: max
              max_concurrent_trials: {{Concurrent}}
              workers_per_trial: 1
              max_failures: 0
              seed: 0
              scheduler: {type: asha, time_attr: epoch, grace_period: 1, reduction_factor: 2, max_t: 2}
            """;
        var status = sweep.Submit(new SweepSubmission($"bench_{trials}", spec, "bench_sweep.yaml")).GetAwaiter().GetResult();
        var random = new Random(trials);
        var (reportTimes, reportBaseline) = (new Samples(), new Samples());
        var (startTimes, startBaseline) = (new Samples(), new Samples());
        var clock = new Stopwatch();
        while (!status.State.IsTerminal())
        {
            var trial = status.Trials.FirstOrDefault(t => !t.State.IsTerminal() && t.ExperimentId is not null)
                ?? throw new InvalidOperationException($"sweep {id} is {status.State} with no live trial to report");
            int epoch = trial.Epoch + 1;
            int started = status.Trials.Count;

            clock.Restart();
            status = sweep.GetStatus().GetAwaiter().GetResult();
            double statusRoundTrip = clock.Elapsed.TotalMilliseconds;
            clock.Restart();
            index.List().GetAwaiter().GetResult();
            double plainRoundTrip = clock.Elapsed.TotalMilliseconds;

            // TrialReported is one-way: the report's effect is seen in the next status the grain answers (it handles
            // one call at a time, in arrival order).
            var sent = DateTimeOffset.UtcNow;
            clock.Restart();
            sweep.TrialReported(new TrialReport(trial.ExperimentId!, ExperimentState.Running, epoch,
                new Dictionary<string, double> { ["acc/top1"] = random.NextDouble() }, null)).GetAwaiter().GetResult();
            status = sweep.GetStatus().GetAwaiter().GetResult();
            while (status.Trials[trial.Index].Epoch != epoch && clock.Elapsed < TimeSpan.FromSeconds(30))
                status = sweep.GetStatus().GetAwaiter().GetResult();
            double reportedAndSeen = clock.Elapsed.TotalMilliseconds;
            var after = status.Trials[trial.Index];
            if (after.Epoch != epoch)
                throw new InvalidOperationException($"{trial.Id}: epoch {epoch} was not recorded ({after.State}, {after.Reason})");
            if (!after.State.IsTerminal())
            {
                reportTimes.Add(reportedAndSeen);
                reportBaseline.Add(statusRoundTrip);
                continue;
            }
            if (started == trials) continue; // nothing left to start: no latency to measure
            if (status.Trials.Count != started + 1 || status.Trials[^1].ExperimentId is not { } next)
                throw new InvalidOperationException($"{trial.Id} ended with {trials - started} trial(s) to start, but {status.Trials.Count - started} started");
            var created = client.GetGrain<IExperimentGrain>(next).GetStatus().GetAwaiter().GetResult().CreatedAt;
            startTimes.Add((created - sent).TotalMilliseconds);
            startBaseline.Add(plainRoundTrip);
        }
        if (status.State != SweepState.Completed)
            throw new InvalidOperationException($"sweep {id} ended {status.State}: {status.Reason}");
        string size = $"{trials} trials";
        return
        [
            BenchRow.Time(Name, $"slot freed → next trial's experiment created ({size})", startTimes, "ms", startBaseline, "plain grain call", minRatio: null),
            BenchRow.Time(Name, $"trial report + status until seen ({size})", reportTimes, "ms", reportBaseline, "status alone", minRatio: null),
            BenchRow.Info(Name, $"time per trial report: median of (report + status) − status ({size})",
                Differences(reportTimes, reportBaseline), "ms"),
        ];
    }
}
