namespace Cluster.Training.Distributed;

/// <summary>
/// The tag of one ring message: unique within a group generation, so messages can be matched in any arrival order.
/// Bits: collective sequence number (32) | phase (1) | ring step (12) | chunk index (18).
/// </summary>
internal static class RingTag
{
    public const int MaxSteps = 1 << StepBits;
    public const int MaxChunks = 1 << ChunkBits;

    private const int ChunkBits = 18;
    private const int StepBits = 12;

    public static long Of(long sequence, RingPhase phase, int step, int chunk) =>
        ((sequence & 0xFFFF_FFFFL) << (ChunkBits + StepBits + 1)) |
        ((long)phase << (ChunkBits + StepBits)) |
        ((long)step << ChunkBits) |
        (uint)chunk;
}

internal enum RingPhase
{
    ReduceScatter = 0,
    AllGather = 1,
}
