using Cluster.Abstractions.Experiments;

namespace Cluster.Tests.Grains;

/// <summary>Submission, rejection and cancel of experiments on a cluster with no free slot (no training runs).</summary>
public class ExperimentSubmissionTests
{
    [Fact]
    public async Task Rejected_submissions_store_nothing()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var good = SubmissionValidatorTests.DemoYaml();
        var cases = new (string Id, ExperimentSpec Spec, string Message)[]
        {
            ("bad-config", new("demo", SubmissionValidatorTests.DemoYaml("train_cfg.max_epochs=0")),
                "bad-config/config.yaml: train_cfg.max_epochs: must be at least 1, got 0"),
            ("min-over-max", new("demo", good, Workers: 2, MinWorkers: 3),
                "experiment 'min-over-max': min_workers 3 is more than the 2 workers the group takes at most"),
            ("tpu", new("demo", good, DeviceKind: "tpu"), "experiment 'tpu': unknown device kind 'tpu' (expected cuda or cpu)"),
            ("bad id", new("demo", good), "experiment id 'bad id' may hold only letters, digits, '-', '_' and '.', and may not start with '.'"),
        };
        foreach (var (id, spec, message) in cases)
        {
            var rejected = await Assert.ThrowsAsync<ExperimentRejectedException>(() => host.Experiment(id).Submit(spec));
            Assert.Equal(message, rejected.Message);
            var unknown = await Assert.ThrowsAsync<UnknownExperimentException>(() => host.Experiment(id).GetStatus());
            Assert.Equal($"unknown experiment '{id}'", unknown.Message);
        }
        Assert.Equal(0, host.Storage.Count);
        Assert.Empty(await host.Registry.ListExperiments());
    }

    [Fact]
    public async Task Unknown_ids_are_reported_by_every_call()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var grain = host.Experiment("nope");

        Assert.Equal("unknown experiment 'nope'", (await Assert.ThrowsAsync<UnknownExperimentException>(() => grain.GetStatus())).Message);
        await Assert.ThrowsAsync<UnknownExperimentException>(() => grain.Cancel("x"));
        await Assert.ThrowsAsync<UnknownExperimentException>(() => grain.GetLogs(0, 10));
    }

    [Fact]
    public async Task Without_a_free_slot_a_run_waits_and_its_id_cannot_be_reused_and_cancel_ends_it()
    {
        await using var host = await ClusterTestHost.StartAsync(silos: 1);
        var grain = host.Experiment("waiting-1");

        var submitted = await grain.Submit(new ExperimentSpec("tsn_tiny_synth", SubmissionValidatorTests.DemoYaml("train_cfg.max_epochs=3")));
        Assert.Equal((ExperimentState.Pending, "waiting for a free slot"), (submitted.State, submitted.Reason));
        Assert.Equal(Path.Combine(host.ArtifactRoot, "experiments", "waiting-1"), submitted.ArtifactsLocation);

        var duplicate = await Assert.ThrowsAsync<ExperimentRejectedException>(() => grain.Submit(new ExperimentSpec("other", SubmissionValidatorTests.DemoYaml())));
        Assert.Equal("experiment 'waiting-1' already exists (pending)", duplicate.Message);
        var listed = Assert.Single(await host.Registry.ListExperiments());
        Assert.Equal(("waiting-1", "tsn_tiny_synth", ExperimentState.Pending, 3), (listed.Id, listed.ConfigName, listed.State, listed.MaxEpochs));

        var cancelled = await grain.Cancel("not needed");
        Assert.Equal((ExperimentState.Cancelled, "not needed", 0), (cancelled.State, cancelled.Reason, cancelled.Generation));
        Assert.NotNull(cancelled.EndedAt);
        Assert.Equal(cancelled.EndedAt, (await grain.Cancel("again")).EndedAt);
        Assert.Equal(ExperimentState.Cancelled, Assert.Single(await host.Registry.ListExperiments()).State);
        var logs = await grain.GetLogs(0, 100);
        Assert.True(logs.Ended);
        Assert.Contains(logs.Lines, l => l.EndsWith("[cluster] cancelled: not needed"));
    }
}
