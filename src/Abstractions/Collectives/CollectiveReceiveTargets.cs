namespace Cluster.Abstractions.Collectives;

/// <summary>
/// The receives of a silo's slots that were posted before their message arrived (a silo service;
/// <see cref="CollectiveMessageCodec"/> asks it for every message it reads, on the connection's thread).
/// </summary>
public interface ICollectiveReceiveTargets
{
    /// <summary>
    /// The receive posted on slot <paramref name="to"/> for this message, claimed for writing, or null when none is
    /// posted (or it expects another length): the message then arrives in a pooled array as before. The claimer
    /// writes the message's bytes into the claim in order and then calls <see cref="ClaimedReceive.Finish"/> once.
    /// </summary>
    ClaimedReceive? Claim(string to, string experimentId, int generation, int fromRank, long tag, int length);
}

/// <summary>A posted receive that a message's reader is writing into.</summary>
public abstract class ClaimedReceive
{
    /// <summary>Applies the message's bytes from <paramref name="offset"/> on to the receive's target.</summary>
    public abstract void Write(int offset, ReadOnlySpan<byte> bytes);

    /// <summary>Ends the claim: the receive completes, or fails with <paramref name="error"/> (the message could not be read).</summary>
    public abstract void Finish(Exception? error);
}
