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

    /// <summary>
    /// Receives the message with <paramref name="tag"/> from <paramref name="fromRank"/> straight into
    /// <paramref name="target"/> (exactly as long as the message), applying <paramref name="operation"/>; the task
    /// completes once the bytes are there. A transport may apply them while it reads the message off the wire, so
    /// <paramref name="target"/> must not be read or written until the task ended, and a cancelled receive may still
    /// be writing it while its abandoned collective unwinds (only until the transport is disposed). This default
    /// receives into the transport's buffer and applies from there.
    /// </summary>
    async Task ReceiveIntoAsync(int fromRank, long tag, Memory<byte> target, ReceiveOperation operation, CancellationToken cancellation)
    {
        using var message = await ReceiveAsync(fromRank, tag, cancellation).ConfigureAwait(false);
        ReceivedBytes.Apply(operation, target.Span, message.Memory.Span, fromRank, tag);
    }
}
