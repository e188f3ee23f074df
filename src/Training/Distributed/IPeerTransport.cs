using System.Buffers;

namespace Cluster.Training.Distributed;

/// <summary>
/// Point-to-point messages between the ranks of one group generation: what a ring collective runs on.
/// Implementations: Orleans calls between silos (CPU workers, in Cluster.Grains) and an in-memory one for tests.
/// A message is matched by (sender, tag); tags are unique per generation, so order of arrival does not matter.
/// </summary>
public interface IPeerTransport
{
    int Rank { get; }
    int WorldSize { get; }

    /// <summary>
    /// Sends <paramref name="payload"/> to <paramref name="toRank"/>. The caller may reuse the memory as soon as the
    /// returned task completed successfully (the transport copies or serializes it before then). After a failed or
    /// cancelled send the transport may still read garbage-collected memory (<see cref="CollectiveMemory"/>), never
    /// native memory.
    /// </summary>
    Task SendAsync(int toRank, long tag, ReadOnlyMemory<byte> payload, CancellationToken cancellation);

    /// <summary>
    /// The message with <paramref name="tag"/> from <paramref name="fromRank"/>, owned by the caller, who disposes it
    /// once done with the bytes (a transport may hand out pooled buffers and take them back then). Waits until it
    /// arrives or <paramref name="cancellation"/> fires (the collective's timeout is applied by the caller).
    /// </summary>
    Task<IMemoryOwner<byte>> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation);
}
