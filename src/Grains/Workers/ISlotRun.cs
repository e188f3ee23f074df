namespace Cluster.Grains.Workers;

/// <summary>
/// What a compute slot runs on its own thread: an experiment's training run (<see cref="WorkerRun"/>) or a shard of a
/// feature bank (<see cref="Lfb.BankShardRun"/>). A slot runs one at a time.
/// </summary>
public interface ISlotRun
{
    /// <summary>Whom the slot is leased to: an experiment id, or a bank's lease id.</summary>
    string ExperimentId { get; }

    /// <summary>The experiment's generation, or the bank shard's attempt.</summary>
    int Generation { get; }

    /// <summary>True until the run's thread ended (reports may still be in flight).</summary>
    bool IsTraining { get; }

    /// <summary>Running, or its last reports still on their way.</summary>
    bool IsBusy { get; }

    /// <summary>Cancels the run, waits for its thread, then up to <paramref name="reportTimeout"/> for its last reports.</summary>
    Task StopAsync(TimeSpan reportTimeout);
}
