using System.Buffers;
using System.Reflection;
using Cluster.Training.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;

namespace Cluster.Silo.Hosting;

/// <summary>
/// Gives Orleans' silo connections memory blocks one collective chunk message long (the default 4 MiB chunk and 4 KiB
/// for its headers) instead of 4 KiB ones, for two reasons:
/// <list type="bullet">
/// <item>Orleans' socket connection reads into one pool block per receive call, so with its own 4 KiB slab pool a
/// collective's multi-megabyte chunks arrived about 2 KiB per <c>recvfrom</c>: <c>perf stat</c> counted 221,000
/// calls a second in one silo during 25 MiB all-reduces, and system time was 40% of the machine (64 KiB blocks: 12×
/// fewer calls, all-reduces a third faster).</item>
/// <item>Orleans serializes a message into what is left of the connection's current pipe block when at least 4 KiB
/// is (its first request), and a body that outgrows it goes into a side buffer that is copied into the pipe
/// afterwards (<c>PrefixingBufferWriter</c>): with 64 KiB blocks every chunk was copied once more on the sending
/// side. A block exactly one chunk message long leaves less than 4 KiB after a chunk, so the next chunk starts in a
/// fresh block and fits it whole (and smaller chunks that divide 4 MiB pack into it the same way). That made
/// all-reduces 10–20% faster again (bench/README.md, all-reduce).</item>
/// </list>
/// Idle connections hold no block (Orleans waits for data before it takes one), and blocks go back to the shared
/// array pool, so the size costs memory only while a connection is moving data.
/// <para>Orleans 10 exposes no setting for this: the outbound connections and the message serializer take the
/// pool from its internal <c>SharedMemoryPool</c>, and the listener from the internal
/// <c>SocketConnectionOptions.MemoryPoolFactory</c>. Both are replaced here by reflection; if an Orleans upgrade
/// renames them the silo refuses to start with an error naming the member (a unit test pins them), rather than
/// quietly falling back to the slow path.</para>
/// </summary>
public static class LargeSocketBlocks
{
    /// <summary>One default chunk (<see cref="DistributedConfig.DefaultChunkSizeMb"/>) and its message's headers
    /// (under 1 KiB), with less spare than the 4 KiB Orleans asks for to start a message.</summary>
    public const int BlockBytes = DistributedConfig.DefaultChunkSizeMb * 1024 * 1024 + 4096;

    /// <summary>The Orleans internals replaced here, looked up once.</summary>
    private sealed record OrleansMembers(Type SharedPoolType, FieldInfo PoolField, PropertyInfo PoolFactory)
    {
        private const string SharedPoolTypeName = "Orleans.Networking.Shared.SharedMemoryPool";
        private const string SharedPoolField = "<Pool>k__BackingField";
        private const string FactoryProperty = nameof(SocketConnectionOptions) + ".MemoryPoolFactory";

        public static OrleansMembers Find()
        {
            var sharedPoolType = typeof(SocketConnectionOptions).Assembly.GetType(SharedPoolTypeName)
                                 ?? throw Missing(SharedPoolTypeName);
            var poolField = sharedPoolType.GetField(SharedPoolField, BindingFlags.Instance | BindingFlags.NonPublic)
                            ?? throw Missing($"{SharedPoolTypeName}.{SharedPoolField}");
            var factory = typeof(SocketConnectionOptions).GetProperty("MemoryPoolFactory", BindingFlags.Instance | BindingFlags.NonPublic)
                          ?? throw Missing(FactoryProperty);
            if (poolField.FieldType != typeof(MemoryPool<byte>) || factory.PropertyType != typeof(Func<MemoryPool<byte>>))
                throw Missing($"{SharedPoolField} or {FactoryProperty} of the expected type");
            return new OrleansMembers(sharedPoolType, poolField, factory);
        }

        private static InvalidOperationException Missing(string member) =>
            new($"this Orleans version has no {member}: LargeSocketBlocks (src/Silo/Hosting) must be updated for it");
    }

    public static void Use(IServiceCollection services)
    {
        var orleans = OrleansMembers.Find();
        // Registered after Orleans' own registration, so this one is what the container resolves.
        services.AddSingleton(orleans.SharedPoolType, _ =>
        {
            var shared = Activator.CreateInstance(orleans.SharedPoolType, nonPublic: true)!;
            orleans.PoolField.SetValue(shared, new LargeBlockMemoryPool(BlockBytes));
            return shared;
        });
        services.Configure<SocketConnectionOptions>(options =>
            orleans.PoolFactory.SetValue(options, (Func<MemoryPool<byte>>)(() => new LargeBlockMemoryPool(BlockBytes))));
    }

    /// <summary>The pools Orleans will use with <paramref name="services"/> (for tests).</summary>
    internal static (MemoryPool<byte> Shared, MemoryPool<byte> Listener) PoolsOf(IServiceProvider services)
    {
        var orleans = OrleansMembers.Find();
        var shared = (MemoryPool<byte>)orleans.PoolField.GetValue(services.GetRequiredService(orleans.SharedPoolType))!;
        var options = services.GetRequiredService<IOptions<SocketConnectionOptions>>().Value;
        var listener = ((Func<MemoryPool<byte>>)orleans.PoolFactory.GetValue(options)!)();
        return (shared, listener);
    }
}
