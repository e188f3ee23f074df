using Cluster.Tests.Configs;
using Cluster.Training.Configs;
using Cluster.Training.Distributed;
using Cluster.Training.Experiments;

namespace Cluster.Tests.Distributed;

public sealed class DistributedConfigTests : IDisposable
{
    private readonly TempConfigFiles files = new();

    public void Dispose() => files.Dispose();

    private ExperimentConfig Bind(string distributedYaml)
    {
        files.Write("run.yaml", "model: {type: Recognizer2D, backbone: {type: ResNet, depth: 18}, cls_head: {type: TSNHead, num_classes: 2, in_channels: 512}}\n" + distributedYaml);
        return ExperimentConfig.From(ConfigLoader.Load(files.Path("run.yaml"), []));
    }

    [Fact]
    public void Absent_section_means_the_defaults()
    {
        var config = Bind("").Distributed;
        Assert.Equal(DistributedBackend.Auto, config.Backend);
        Assert.Equal(25 * 1024 * 1024, config.BucketBytes);
        Assert.Equal(4 * 1024 * 1024, config.ChunkBytes);
        Assert.Equal(TimeSpan.FromSeconds(300), config.Timeout);
        Assert.False(config.SyncBn);
        Assert.True(config.CheckReplicas);
    }

    [Fact]
    public void Every_key_binds_and_the_worker_counts_are_left_to_the_client()
    {
        var config = Bind("""
            workers: 3
            min_workers: 2
            max_workers: 4
            distributed: {backend: nccl, bucket_size_mb: 0.5, chunk_size_mb: 1, collective_timeout: 12.5, sync_bn: true, check_replicas: false}
            """);
        Assert.Equal((3L, 2L, 4L), (config.Workers, config.MinWorkers, config.MaxWorkers));
        var distributed = config.Distributed;
        Assert.Equal(DistributedBackend.Nccl, distributed.Backend);
        Assert.Equal(512 * 1024, distributed.BucketBytes);
        Assert.Equal(1024 * 1024, distributed.ChunkBytes);
        Assert.Equal(TimeSpan.FromSeconds(12.5), distributed.Timeout);
        Assert.True(distributed.SyncBn);
        Assert.False(distributed.CheckReplicas);
    }

    [Theory]
    [InlineData("distributed: {backend: gloo}", "distributed.backend", "expected one of auto, ring, nccl")]
    [InlineData("distributed: {bucket_size_mb: 0}", "distributed.bucket_size_mb", "must hold at least one float32")]
    [InlineData("distributed: {bucket_size_mb: 4096}", "distributed.bucket_size_mb", "at most 2 GiB")]
    [InlineData("distributed: {chunk_size_mb: -1}", "distributed.chunk_size_mb", "must be between")]
    [InlineData("distributed: {chunk_size_mb: big}", "distributed.chunk_size_mb", "expected a number")]
    [InlineData("distributed: {collective_timeout: 0}", "distributed.collective_timeout", "positive number of seconds")]
    [InlineData("distributed: {sync_bn: 2}", "distributed.sync_bn", "expected a boolean")]
    [InlineData("distributed: {bucket_mb: 1}", "distributed.bucket_mb", "unknown key")]
    [InlineData("distributed: ring", "distributed", "expected a mapping")]
    public void Bad_values_name_the_key(string yaml, string keyPath, string problem)
    {
        var error = Assert.Throws<ConfigException>(() => Bind(yaml));
        Assert.Equal(keyPath, error.KeyPath);
        Assert.Contains(problem, error.Problem);
        Assert.EndsWith("run.yaml", error.File);
    }
}
