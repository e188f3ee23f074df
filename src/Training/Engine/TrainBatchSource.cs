using Cluster.Training.Data;

namespace Cluster.Training.Engine;

/// <summary>
/// The training data as the loop consumes it: <see cref="Batches"/>(epoch, startBatch) yields the batches of that
/// 0-based epoch beginning at index startBatch (non-zero only when resuming from an iteration checkpoint), and must
/// be deterministic in (epoch, batch index) for a resumed run to match an uninterrupted one. The loop disposes every
/// batch it receives.
/// </summary>
/// <param name="BatchesPerEpoch">Batches in a full epoch (len(dataloader)).</param>
/// <param name="BatchSize">Samples per batch on this worker (for auto_scale_lr).</param>
public sealed record TrainBatchSource(Func<int, int, IEnumerable<Batch>> Batches, int BatchesPerEpoch, int BatchSize);
