using System.Buffers;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Networking.Shared;

namespace Cluster.Silo.Hosting;

/// <summary>
/// Gives Orleans' silo connections 64 KiB memory blocks instead of 4 KiB ones. Orleans' socket connection reads into
/// one pool block per receive call, so with its own 4 KiB slab pool a collective's multi-megabyte chunks arrived
/// about 2 KiB per <c>recvfrom</c>: <c>perf stat</c> counted 221,000 calls a second in one silo during 25 MiB
/// all-reduces, and system time was 40% of the machine. With 64 KiB blocks the same run made 12× fewer calls and
/// its all-reduce took about a third less time (bench/README.md, all-reduce).
/// <para>Orleans 10 exposes no setting for this: the outbound connections and the message serializer take the
/// pool from its internal <c>SharedMemoryPool</c>, and the listener from the internal
/// <c>SocketConnectionOptions.MemoryPoolFactory</c>. Both are replaced here by reflection; if an Orleans upgrade
/// renames them the silo refuses to start with an error naming the member (a unit test pins them), rather than
/// quietly falling back to the slow path.</para>
/// </summary>
public static class LargeSocketBlocks
{
    public const int BlockBytes = 64 * 1024;

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
