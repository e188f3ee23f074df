using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Silo.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace Cluster.Tests.Silo;

public sealed class FileGrainStorageTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cluster-grain-state-").FullName;
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private static readonly GrainId Experiment = GrainId.Create("experiment", "exp-1");

    private FileGrainStorage NewStorage() => new(_root,
        GrainStorageRegistration.Serializer(_services.GetRequiredService<Serializer>()),
        _services.GetRequiredService<IActivatorProvider>());

    private static ExperimentStatus SampleStatus(string reason) => new()
    {
        Id = "exp-1",
        State = ExperimentState.Running,
        Reason = reason,
        ConfigName = "tsn_tiny_synth",
        RequestedWorkers = 2,
        Workers = [new("127.0.0.1:11111@1/cpu:0", "127.0.0.1:11111@1", "cpu:0", 0)],
        Metrics = new Dictionary<string, double> { ["acc/top1"] = 0.75 },
        Best = new BestMetric("acc/top1", 0.75, 3),
        CreatedAt = new DateTimeOffset(2026, 12, 1, 7, 0, 0, TimeSpan.Zero),
        Restarts = 1,
    };

    [Fact]
    public async Task A_written_record_reads_back_equal_through_another_instance()
    {
        var written = new GrainState<ExperimentStatus>(SampleStatus("first"));
        await NewStorage().WriteStateAsync("status", Experiment, written);

        var read = new GrainState<ExperimentStatus>();
        await NewStorage().ReadStateAsync("status", Experiment, read);

        Assert.True(read.RecordExists);
        Assert.Equal(written.ETag, read.ETag);
        Assert.NotNull(written.ETag);
        AssertSameStatus(SampleStatus("first"), read.State!);
    }

    // Records compare their list members by reference, so the collections are compared element-wise.
    private static void AssertSameStatus(ExperimentStatus expected, ExperimentStatus actual)
    {
        var empty = new Dictionary<string, double>();
        Assert.Equal(expected with { Workers = [], History = [], Checkpoints = [], Metrics = empty },
            actual with { Workers = [], History = [], Checkpoints = [], Metrics = empty });
        Assert.Equal(expected.Workers, actual.Workers);
        Assert.Equal(expected.History, actual.History);
        Assert.Equal(expected.Checkpoints, actual.Checkpoints);
        Assert.Equal(expected.Metrics, actual.Metrics);
    }

    [Fact]
    public async Task Reading_a_grain_never_written_finds_no_record()
    {
        var read = new GrainState<SiloRegistration>();

        await NewStorage().ReadStateAsync("registry", GrainId.Create("registry", "0"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_refused_and_leaves_the_newer_record()
    {
        var storage = NewStorage();
        var first = new GrainState<ExperimentStatus>(SampleStatus("v1"));
        await storage.WriteStateAsync("status", Experiment, first);
        var staleCopy = new GrainState<ExperimentStatus>(SampleStatus("stale"), first.ETag);
        first.State = SampleStatus("v2");
        await storage.WriteStateAsync("status", Experiment, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("status", Experiment, staleCopy));

        var read = new GrainState<ExperimentStatus>();
        await storage.ReadStateAsync("status", Experiment, read);
        Assert.Equal("v2", read.State!.Reason);
    }

    [Fact]
    public async Task A_first_write_is_refused_when_another_activation_already_wrote()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("status", Experiment, new GrainState<ExperimentStatus>(SampleStatus("other")));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("status", Experiment, new GrainState<ExperimentStatus>(SampleStatus("mine"))));
    }

    [Fact]
    public async Task Clear_removes_the_record_but_not_with_a_stale_etag()
    {
        var storage = NewStorage();
        var state = new GrainState<ExperimentStatus>(SampleStatus("v1"));
        await storage.WriteStateAsync("status", Experiment, state);
        var stale = new GrainState<ExperimentStatus>(state.State, "not-the-etag");

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("status", Experiment, stale));
        await storage.ClearStateAsync("status", Experiment, state);

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        var read = new GrainState<ExperimentStatus>();
        await storage.ReadStateAsync("status", Experiment, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task State_names_and_grains_are_kept_apart()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("status", Experiment, new GrainState<ExperimentStatus>(SampleStatus("exp-1 status")));
        await storage.WriteStateAsync("status", GrainId.Create("experiment", "exp-1/other"), new GrainState<ExperimentStatus>(SampleStatus("other grain")));
        await storage.WriteStateAsync("history", Experiment, new GrainState<ExperimentStatus>(SampleStatus("exp-1 history")));

        var read = new GrainState<ExperimentStatus>();
        await storage.ReadStateAsync("status", Experiment, read);

        Assert.Equal("exp-1 status", read.State!.Reason);
        Assert.Equal(3, Directory.GetFiles(_root, "*.state", SearchOption.AllDirectories).Length);
    }

    [Fact]
    public async Task A_truncated_file_is_reported_with_its_path()
    {
        var storage = NewStorage();
        await storage.WriteStateAsync("status", Experiment, new GrainState<ExperimentStatus>(SampleStatus("v1")));
        var path = storage.PathOf("status", Experiment);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..10]);

        var e = await Assert.ThrowsAsync<InvalidDataException>(() => storage.ReadStateAsync("status", Experiment, new GrainState<ExperimentStatus>()));

        Assert.Contains(path, e.Message);
    }

    public void Dispose()
    {
        _services.Dispose();
        Directory.Delete(_root, recursive: true);
    }
}
