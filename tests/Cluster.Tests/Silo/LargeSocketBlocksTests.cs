using Cluster.Silo;
using Cluster.Silo.Hosting;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cluster.Tests.Silo;

/// <summary>
/// Orleans' silo connections get blocks one collective chunk message long from our pool (see <see cref="LargeSocketBlocks"/>). These tests also
/// pin the Orleans internals it replaces: an upgrade that renames them fails here first.
/// </summary>
public sealed class LargeSocketBlocksTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("cluster-socket-blocks-").FullName;

    [Fact]
    public void A_silo_host_reads_and_serializes_through_blocks_one_chunk_message_long()
    {
        using var host = SiloHostFactory.Create(
            ClusterConfiguration.Load(overrides: new Dictionary<string, string?>
            {
                ["Cluster:Mode"] = "embedded",
                ["Cluster:StateRoot"] = root,
                ["Cluster:SiloPort"] = "0",
                ["Cluster:GatewayPort"] = "0",
                ["Cluster:Devices"] = "cpu",
                ["Cluster:ScratchPath"] = Path.Combine(root, "scratch"),
            }),
            new SiloHostSettings { MinimumLogLevel = LogLevel.None, HandleConsoleSignals = false });

        var (shared, listener) = LargeSocketBlocks.PoolsOf(host.Services);

        foreach (var pool in new[] { shared, listener })
        {
            Assert.IsType<LargeBlockMemoryPool>(pool);
            // What Orleans' socket asks for per receive, and its serializer to start a message: exactly a block, since
            // a longer one would leave 4 KiB or more behind a chunk and the next chunk's body would not fit.
            foreach (int asked in new[] { 2048, 4104 })
            {
                using var block = pool.Rent(asked);
                Assert.Equal(LargeSocketBlocks.BlockBytes, block.Memory.Length);
            }
        }
    }

    [Fact]
    public void Orleans_on_its_own_hands_its_sockets_4_KiB_blocks()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleans(silo => silo.UseLocalhostClustering(siloPort: 0, gatewayPort: 0));
        using var host = builder.Build();

        var (shared, listener) = LargeSocketBlocks.PoolsOf(host.Services);

        foreach (var pool in new[] { shared, listener })
        {
            Assert.IsNotType<LargeBlockMemoryPool>(pool);
            using var block = pool.Rent(2048);
            Assert.Equal(4096, block.Memory.Length);
        }
    }

    [Fact]
    public void The_pool_rents_exactly_a_block_or_what_is_asked_when_more_and_takes_each_block_back_once()
    {
        var pool = new LargeBlockMemoryPool(64 * 1024 + 100);
        var small = pool.Rent(1);
        using var large = pool.Rent(200_000);

        Assert.Equal(64 * 1024 + 100, small.Memory.Length);
        Assert.Equal(200_000, large.Memory.Length);
        small.Dispose();
        small.Dispose();
        Assert.Throws<ObjectDisposedException>(() => small.Memory);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LargeBlockMemoryPool(0));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
