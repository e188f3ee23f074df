using System.Buffers;
using Cluster.Abstractions.Collectives;
using Cluster.Grains.Workers;
using Cluster.Training.Distributed;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Collectives;

/// <summary>
/// The collective messages addressed to this silo's slots, one <see cref="Mailbox"/> per (slot, experiment,
/// generation). A slot's run opens its generation's mailbox (<see cref="Open"/>) and receives from it; the slot's grain
/// delivers into it (<see cref="Deliver"/>). A message for a generation the slot has not opened yet is buffered (its
/// peers may start first), within <see cref="WorkerOptions.MaxEarlyCollectiveBytes"/> per slot and for at most
/// <see cref="WorkerOptions.EarlyCollectiveExpiry"/>; one for a generation older than the slot's current or ended run
/// is refused with <see cref="StaleGenerationException"/>. A closed mailbox is dropped. A refused message's pooled
/// payload is never taken and is left to the garbage collector. A receive posted in an open mailbox is offered to the
/// silo's message reader (<see cref="Claim"/>), which then writes the bytes straight into it.
/// </summary>
public sealed class CollectiveMailboxes(IOptions<WorkerOptions> options) : ICollectiveReceiveTargets
{
    private const int EndedGenerationsKept = 64;
    private readonly Dictionary<string, SlotMailboxes> slots = [];
    private long claimed;

    /// <summary>
    /// Opens the mailbox of <paramref name="experimentId"/>'s <paramref name="generation"/> on a slot, with whatever
    /// arrived for it already; the slot's older buffered generations of that experiment are dropped. Dispose the
    /// lease when the run ends.
    /// </summary>
    public MailboxLease Open(string workerKey, string experimentId, int generation)
    {
        lock (slots)
        {
            var slot = SlotOf(workerKey);
            if (slot.Current is { } current)
                throw new InvalidOperationException(
                    $"worker {workerKey}: collectives of '{current.ExperimentId}' generation {current.Generation} still hold this slot");
            if (slot.EndedGeneration(experimentId) is { } ended && generation <= ended)
                throw new StaleGenerationException(
                    $"worker {workerKey}: generation {ended} of '{experimentId}' already ran here; generation {generation} is stale");
            var mailbox = slot.Early.Find(m => m.ExperimentId == experimentId && m.Generation == generation)
                          ?? new Mailbox(experimentId, generation);
            slot.Early.Remove(mailbox);
            slot.DropEarly(m => m.ExperimentId == experimentId && m.Generation < generation,
                $"worker {workerKey} started generation {generation} of '{experimentId}'");
            slot.Current = mailbox;
            return new MailboxLease(this, workerKey, mailbox);
        }
    }

    /// <summary>Puts a message in its mailbox on the slot (see the class summary). Never blocks.</summary>
    public void Deliver(string workerKey, CollectiveMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.To != workerKey)
            throw new ArgumentException($"worker {workerKey} was handed a collective message for {message.To}", nameof(message));
        // Written into its posted receive as it was read (the claim checked slot, experiment and generation): the
        // receiving run may have ended its generation since, which must not fail the sender's call.
        if (message.Payload.WasDelivered)
            return;
        Mailbox open;
        lock (slots)
        {
            var slot = SlotOf(workerKey);
            slot.DropEarly(m => DateTime.UtcNow - m.CreatedAt > options.Value.EarlyCollectiveExpiry,
                $"worker {workerKey}: that generation did not start here within {options.Value.EarlyCollectiveExpiry}");
            if (slot.EndedGeneration(message.ExperimentId) is { } ended && message.Generation <= ended)
                throw Stale(workerKey, message, $"generation {ended} ended here");
            if (slot.Current is not { } current || current.ExperimentId != message.ExperimentId || message.Generation > current.Generation)
            {
                BufferEarly(workerKey, slot, message);
                return;
            }
            if (message.Generation < current.Generation)
                throw Stale(workerKey, message, $"the slot runs generation {current.Generation}");
            open = current;
        }
        // Outside the silo-wide lock: posting may apply the bytes to a posted receive. A mailbox closed meanwhile
        // refuses the message as stale.
        open.Post(message.FromRank, message.Tag, message.Payload.Take());
    }

    public ClaimedReceive? Claim(string to, string experimentId, int generation, int fromRank, long tag, int length)
    {
        Mailbox? mailbox;
        lock (slots)
        {
            if (!slots.TryGetValue(to, out var slot) || slot.Current is not { } current ||
                current.ExperimentId != experimentId || current.Generation != generation)
                return null;
            mailbox = current;
        }
        var claim = mailbox.Claim(fromRank, tag, length);
        if (claim is not null) Interlocked.Increment(ref claimed);
        return claim;
    }

    /// <summary>Messages this silo read straight into their posted receive (for tests: the path is taken).</summary>
    internal long Claimed => Interlocked.Read(ref claimed);

    /// <summary>Mailboxes held on this silo, open or buffered (for tests: ended runs leave none behind).</summary>
    internal int Count
    {
        get
        {
            lock (slots) return slots.Values.Sum(s => s.Early.Count + (s.Current is null ? 0 : 1));
        }
    }

    internal void Close(string workerKey, Mailbox mailbox)
    {
        lock (slots)
        {
            var slot = SlotOf(workerKey);
            if (slot.Current == mailbox) slot.Current = null;
            slot.RecordEnded(mailbox.ExperimentId, mailbox.Generation);
            slot.DropEarly(m => m.ExperimentId == mailbox.ExperimentId && m.Generation <= mailbox.Generation,
                $"generation {mailbox.Generation} of '{mailbox.ExperimentId}' ended on worker {workerKey}");
        }
        mailbox.Close(new StaleGenerationException(
            $"worker {workerKey}: generation {mailbox.Generation} of '{mailbox.ExperimentId}' ended here"));
    }

    private void BufferEarly(string workerKey, SlotMailboxes slot, CollectiveMessage message)
    {
        long buffered = slot.Early.Sum(m => m.BufferedBytes);
        if (buffered + message.Payload.Length > options.Value.MaxEarlyCollectiveBytes)
            throw new CollectiveBufferFullException(
                $"worker {workerKey}: {buffered} bytes already wait for generations that have not started here " +
                $"(limit {options.Value.MaxEarlyCollectiveBytes}); generation {message.Generation} of '{message.ExperimentId}' is not running");
        var mailbox = slot.Early.Find(m => m.ExperimentId == message.ExperimentId && m.Generation == message.Generation);
        if (mailbox is null)
        {
            mailbox = new Mailbox(message.ExperimentId, message.Generation);
            slot.Early.Add(mailbox);
        }
        mailbox.Post(message.FromRank, message.Tag, message.Payload.Take());
    }

    private static StaleGenerationException Stale(string workerKey, CollectiveMessage message, string why) =>
        new($"worker {workerKey}: message of generation {message.Generation} of '{message.ExperimentId}' from rank {message.FromRank} is stale ({why})");

    private SlotMailboxes SlotOf(string workerKey)
    {
        if (!slots.TryGetValue(workerKey, out var slot)) slots[workerKey] = slot = new SlotMailboxes();
        return slot;
    }

    /// <summary>One slot's open mailbox, buffers for generations not started yet, and the generations that ended.</summary>
    private sealed class SlotMailboxes
    {
        private readonly Dictionary<string, int> ended = [];
        private readonly Queue<string> endedOrder = new();

        public Mailbox? Current { get; set; }
        public List<Mailbox> Early { get; } = [];

        public int? EndedGeneration(string experimentId) => ended.TryGetValue(experimentId, out var g) ? g : null;

        public void RecordEnded(string experimentId, int generation)
        {
            if (ended.TryGetValue(experimentId, out var known))
            {
                ended[experimentId] = Math.Max(known, generation);
                return;
            }
            ended[experimentId] = generation;
            endedOrder.Enqueue(experimentId);
            if (endedOrder.Count > EndedGenerationsKept) ended.Remove(endedOrder.Dequeue());
        }

        public void DropEarly(Predicate<Mailbox> which, string why)
        {
            foreach (var mailbox in Early.FindAll(which))
            {
                Early.Remove(mailbox);
                mailbox.Close(new StaleGenerationException(why));
            }
        }
    }
}

/// <summary>A run's hold on its generation's mailbox on a slot; disposing it ends the generation there.</summary>
public sealed class MailboxLease : IDisposable
{
    private readonly CollectiveMailboxes owner;
    private readonly string workerKey;
    private readonly Mailbox mailbox;
    private int disposed;

    internal MailboxLease(CollectiveMailboxes owner, string workerKey, Mailbox mailbox)
    {
        this.owner = owner;
        this.workerKey = workerKey;
        this.mailbox = mailbox;
    }

    public string ExperimentId => mailbox.ExperimentId;
    public int Generation => mailbox.Generation;

    /// <summary>The message's bytes, owned by the caller: disposing them returns them to the pool.</summary>
    public Task<IMemoryOwner<byte>> ReceiveAsync(int fromRank, long tag, CancellationToken cancellation) =>
        mailbox.ReceiveAsync(fromRank, tag, cancellation);

    /// <summary>Applies the message to <paramref name="target"/> (see <see cref="Mailbox.ReceiveIntoAsync"/>).</summary>
    public Task ReceiveIntoAsync(int fromRank, long tag, Memory<byte> target, ReceiveOperation operation, CancellationToken cancellation) =>
        mailbox.ReceiveIntoAsync(fromRank, tag, target, operation, cancellation);

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0) owner.Close(workerKey, mailbox);
    }
}
