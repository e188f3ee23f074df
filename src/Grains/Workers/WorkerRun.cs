using Cluster.Abstractions.Data;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Grains.Data;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Cluster.Training.Lfb;
using Cluster.Training.Distributed;
using Cluster.Training.Storage;

namespace Cluster.Grains.Workers;

/// <summary>What a <see cref="WorkerRun"/> runs on and reports to.</summary>
/// <param name="WorkerKey">The compute slot (for reports).</param>
/// <param name="SiloName">For the log line naming where the run trains.</param>
/// <param name="Device">The engine's device string: <c>cpu</c>, <c>cuda:1</c>.</param>
/// <param name="ScratchPath">Local folder for work_dirs and downloaded checkpoints.</param>
/// <param name="Shards">The dataset shard grain of a shard key; null lets the train sampler order epochs itself.</param>
/// <param name="Sink">Delivers a batch of events to the experiment (may throw while it is unreachable; retried).</param>
/// <param name="Groups">Builds the process group of a data-parallel run (null: this slot trains single-worker runs only).</param>
public sealed record WorkerEnvironment(
    string WorkerKey,
    string SiloName,
    string Device,
    IArtifactStore Store,
    string ScratchPath,
    Func<string, IDatasetShardGrain>? Shards,
    Func<WorkerReport, Task> Sink,
    ProcessGroupFactory? Groups = null);

/// <summary>
/// One worker's training run for one experiment generation, on a dedicated thread: loads the merged config with the
/// worker's overrides (work_dir in scratch, its rank of the data, resume from the stored checkpoint downloaded and
/// hash-checked), trains, uploads every checkpoint and reports events in order. The last event is always
/// <see cref="RunFinished"/> or <see cref="RunFailed"/>.
/// <para>With <c>WorldSize</c> &gt; 1 the run joins its group's process group (see <see cref="ProcessGroupFactory"/>).
/// Rank 0 reports everything; the other ranks report their start line and how they ended (their epochs, validation
/// and checkpoints are rank 0's). A broken group (a peer gone, hung or of another generation) ends the run with a
/// retryable <see cref="RunFailed"/>, so the experiment re-forms the group.</para>
/// </summary>
public sealed class WorkerRun : ISlotRun
{
    private readonly WorkerStart start;
    private readonly WorkerEnvironment environment;
    private readonly ReportSender reports;
    private readonly CancellationTokenSource cancel = new();
    private readonly Thread thread;
    private readonly TaskCompletionSource trained = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public WorkerRun(WorkerStart start, WorkerEnvironment environment)
    {
        this.start = start;
        this.environment = environment;
        reports = new ReportSender(events => environment.Sink(new WorkerReport(start.ExperimentId, start.Generation, environment.WorkerKey, events)));
        thread = new Thread(Train) { IsBackground = true, Name = $"train-{start.ExperimentId}-gen{start.Generation}" };
    }

    public string ExperimentId => start.ExperimentId;
    public int Generation => start.Generation;

    /// <summary>The run's local work_dir: <c>{scratch}/{experiment}/gen{generation}</c>.</summary>
    public string WorkDir => Path.Combine(environment.ScratchPath, start.ExperimentId, $"gen{start.Generation}");

    /// <summary>True until the training thread ended (reports may still be in flight).</summary>
    public bool IsTraining => !trained.Task.IsCompleted;

    /// <summary>Ends when training ended and every report was delivered (or given up on by <see cref="StopAsync"/>).</summary>
    public Task Completion => Task.WhenAll(trained.Task, reports.Completion);

    /// <summary>Training, or its last reports still on their way.</summary>
    public bool IsBusy => !trained.Task.IsCompleted || !reports.Completion.IsCompleted;

    public void Start() => thread.Start();

    /// <summary>
    /// Cancels the run (mid-epoch) and waits for its thread to end, then up to <paramref name="reportTimeout"/> for the
    /// last reports to be delivered before giving them up.
    /// </summary>
    public async Task StopAsync(TimeSpan reportTimeout)
    {
        await cancel.CancelAsync();
        if (thread.ThreadState != ThreadState.Unstarted) await trained.Task;
        else reports.Complete();
        if (await Task.WhenAny(reports.Completion, Task.Delay(reportTimeout)) != reports.Completion)
            reports.Abandon();
        await reports.Completion;
    }

    private void Train()
    {
        try
        {
            reports.Post(Log($"training on {environment.Device} of silo {environment.SiloName} " +
                             $"(experiment {start.ExperimentId}, generation {start.Generation}, rank {start.Rank} of {start.WorldSize})"));
            var result = RunJob();
            reports.Post(new RunFinished(result.Status.ToString(), result.EpochsRun, new Dictionary<string, double>(result.Metrics), result.StopReason));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            reports.Post(new RunFinished(TrainingStatus.Cancelled.ToString(), 0, new Dictionary<string, double>(), "stopped before training or while waiting for its group"));
        }
        catch (Exception error) when (PeerFailure.IsGroupFault(error))
        {
            // A stopped rank's peers stop too: their group faults are the stop's echo, not a failure.
            reports.Post(cancel.IsCancellationRequested
                ? new RunFinished(TrainingStatus.Cancelled.ToString(), 0, new Dictionary<string, double>(), "stopped while its group broke up")
                : new RunFailed(OneLine(error), Retryable: true));
        }
        catch (Exception error)
        {
            reports.Post(new RunFailed(OneLine(error)));
        }
        finally
        {
            reports.Complete();
            trained.SetResult();
        }
    }

    private TrainingResult RunJob()
    {
        Directory.CreateDirectory(WorkDir);
        File.WriteAllText(Path.Combine(WorkDir, "submitted.yaml"), start.Spec.ConfigYaml);
        var overrides = new List<string>
        {
            $"work_dir={WorkDir}",
            $"train_dataloader.sampler.world_size={start.WorldSize}",
            $"train_dataloader.sampler.rank={start.Rank}",
        };
        if (start.ResumeFrom is { } checkpoint)
        {
            var local = DownloadCheckpoint(checkpoint);
            overrides.AddRange(["resume=true", $"load_from={local}"]);
            Note($"resuming from {checkpoint.Uri} (epoch {checkpoint.Epoch}, iteration {checkpoint.Iteration})");
        }
        var document = ConfigLoader.LoadMerged(start.Spec.ConfigYaml, start.Spec.ConfigName, overrides);
        var config = ExperimentConfig.From(document);

        var writer = new StoredCheckpointWriter(environment.Store, CheckpointPrefix());
        var order = ShardOrder(document, config);
        var translator = new TrainingEventTranslator(start.Rank == 0 ? reports.Post : _ => { }, order is null ? null : order.Commit);
        translator.Watch(writer);
        using var group = JoinGroup(config);
        // An LFB head's lfb_prefix_path may be a blob URI: the process-wide bank cache reads it through this silo's store.
        FeatureBankCache.Shared.UseLocator(SiloArtifacts.Locator(environment.Store, environment.ScratchPath));
        var job = TrainingJob.Prepare(document, WorkDir, environment.Device, checkpointWriter: writer, trainOrder: order, processGroup: group);
        return job.Run(new SyncProgress(translator.Translate), cancel.Token);
    }

    /// <summary>The process group of a data-parallel run (null for a single worker); stopping the run cancels its collectives.</summary>
    private IProcessGroup? JoinGroup(ExperimentConfig config)
    {
        if (start.WorldSize == 1) return null;
        if (start.Peers.Count != start.WorldSize || start.Rank < 0 || start.Rank >= start.WorldSize || start.Peers[start.Rank] != environment.WorkerKey)
            throw new ArgumentException(
                $"worker {environment.WorkerKey} was started as rank {start.Rank} of {start.WorldSize} with peers [{string.Join(", ", start.Peers)}]");
        var groups = environment.Groups
                     ?? throw new InvalidOperationException($"worker {environment.WorkerKey} cannot join a group: no process group factory on its silo");
        var group = groups.Create(new GroupMembership(start.ExperimentId, start.Generation, start.Rank, start.Peers),
            config.Distributed, environment.Device, cancel.Token);
        Note($"data-parallel: {group.Describe}");
        return group;
    }

    /// <summary>Rank 0's checkpoints are the experiment's; other ranks keep theirs apart so no file is overwritten.</summary>
    private string CheckpointPrefix() => start.Rank == 0 ? start.ArtifactPrefix : $"{start.ArtifactPrefix}rank{start.Rank}/";

    private string DownloadCheckpoint(Abstractions.Experiments.CheckpointRef checkpoint)
    {
        string local = Path.Combine(WorkDir, "resume", Path.GetFileName(checkpoint.Key));
        var info = environment.Store.GetFileAsync(checkpoint.Key, local, cancel.Token).GetAwaiter().GetResult();
        if (!string.Equals(info.Sha256, checkpoint.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new ArtifactCorruptException(checkpoint.Uri, checkpoint.Sha256, info.Sha256);
        return local;
    }

    private ShardEpochOrder? ShardOrder(ConfigDocument document, ExperimentConfig config)
    {
        if (environment.Shards is null) return null;
        var loader = config.TrainDataloader;
        if (loader is null) return null;
        if (loader.Sampler is Training.Data.Loading.DefaultSamplerConfig { Indices: not null })
        {
            Note("train_dataloader.sampler.indices is set: the sampler orders epochs itself (no shard grain)");
            return null;
        }
        string key = ShardKey.For(DatasetIdentity.Of(document), "train", start.Rank, start.WorldSize);
        return new ShardEpochOrder(environment.Shards(key), key, start.ExperimentId, loader.BatchSize, loader.DropLast,
            start.ResumeFrom, Note);
    }

    private static LogReported Log(string line) => new(DateTimeOffset.UtcNow, line);

    /// <summary>A log line of the run as a whole: rank 0's alone, so a group's log does not repeat it per rank.</summary>
    private void Note(string line)
    {
        if (start.Rank == 0) reports.Post(Log(line));
    }

    /// <summary>The innermost message that says what went wrong, on one line.</summary>
    internal static string OneLine(Exception error)
    {
        while (error is AggregateException { InnerException: { } inner }) error = inner;
        if (error is System.Reflection.TargetInvocationException { InnerException: { } target }) error = target;
        return string.Join(' ', error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
    }
}
