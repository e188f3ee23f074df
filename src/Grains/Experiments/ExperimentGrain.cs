using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Sweeps;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Registry;
using Cluster.Grains.Workers;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cluster.Grains.Experiments;

/// <summary>
/// One training run. Thin over <see cref="ExperimentLedger"/>: allocates between min_workers and workers slots through
/// the registry, starts its data-parallel group, applies their reports (training events from rank 0 only), and
/// supervises them with a grain timer. A lost heartbeat or a retryable failure of any rank re-forms the group: all its
/// workers are stopped, a worker that does not stop (hung) is kept out, and a new generation resumes from the last
/// checkpoint on whatever is free. A reminder brings a live run back on a surviving silo after its own silo died.
/// <see cref="Report"/> interleaves with every other call, so state changes between awaits are kept synchronous and
/// each await is followed by a re-check of state and generation.
/// </summary>
public sealed class ExperimentGrain(
    [PersistentState("experiment", GrainStorageNames.Cluster)] IPersistentState<ExperimentRecord> state,
    IOptions<ExperimentOptions> options,
    IServiceProvider services,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IRemindable
{
    public const string ReminderName = "supervise";

    private readonly ExperimentOptions settings = options.Value;
    // Report interleaves with the timer and other calls: writes of the same state must not overlap (ETag conflicts).
    private readonly SemaphoreSlim writeGate = new(1, 1);
    private IGrainTimer? timer;
    private LiveProgress? progress;
    private readonly HeartbeatMisses heartbeat = new(options.Value.MissesBeforeLost, options.Value.UnreachableBeforeLost);
    // Ranks above 0 that reported the end of this generation: idle by design while rank 0 finishes, not lost.
    private readonly HashSet<string> finished = [];
    // Only the current generation's is kept: a new generation makes its rank 0 publish a fresh one.
    private (int Generation, byte[] Bytes)? rendezvous;

    private string Id => this.GetPrimaryKeyString();
    private ExperimentRecord Record => state.State;
    private string ArtifactPrefix => $"experiments/{Id}/";
    private IClusterRegistryGrain Registry => GrainFactory.GetGrain<IClusterRegistryGrain>(0);

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A live run coming back (its silo died, or it was deactivated): the first tick re-checks its workers and
        // adopts those still running this generation, or restarts the group.
        if (Record.Exists && !Record.State.IsTerminal())
        {
            Log($"reactivated while {Record.State.ToString().ToLowerInvariant()} (generation {Record.Generation}): checking its workers");
            StartSupervising();
        }
        return Task.CompletedTask;
    }

    public async Task<ExperimentStatus> Submit(ExperimentSpec spec)
    {
        if (Record.Exists)
            throw new ExperimentRejectedException($"experiment '{Id}' already exists ({Record.State.ToString().ToLowerInvariant()})");
        // Off the grain's scheduler: checking load_from may download a checkpoint.
        var artifacts = SiloArtifacts.Locator(services);
        var id = Id;
        int maxEpochs = await Task.Run(() => SubmissionValidator.Validate(id, spec, artifacts));
        state.State = new ExperimentRecord
        {
            Spec = spec,
            State = ExperimentState.Pending,
            Reason = ExperimentLedger.Waiting(spec, 0), // the first tick counts what is free
            CreatedAt = DateTimeOffset.UtcNow,
            MaxEpochs = maxEpochs,
        };
        Log($"submitted {spec.ConfigName}: "
            + (spec.EffectiveMinWorkers == spec.Workers ? $"{spec.Workers} worker(s)" : $"{spec.EffectiveMinWorkers} to {spec.Workers} workers")
            + $", device kind {spec.DeviceKind ?? "any"}");
        try
        {
            await Persist();
        }
        catch
        {
            state.State = new ExperimentRecord();
            throw;
        }
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        await Track();
        StartSupervising();
        return Status();
    }

    public Task<ExperimentStatus> GetStatus()
    {
        RequireExists();
        return Task.FromResult(Status());
    }

    public async Task<ExperimentStatus> Cancel(string reason)
    {
        RequireExists();
        if (Record.State.IsTerminal()) return Status();
        var workers = Record.Workers.ToList();
        ExperimentLedger.End(Record, ExperimentState.Cancelled, reason, DateTimeOffset.UtcNow);
        Log($"cancelled: {reason}");
        await Persist();
        StopSupervising();
        await StopWorkers(workers);
        await Registry.Release(Id);
        await Track();
        await ForgetReminder();
        TellSweep(ExperimentState.Cancelled, Record.Metrics);
        return Status();
    }

    public Task<LogPage> GetLogs(int fromLine, int maxLines)
    {
        RequireExists();
        return Task.FromResult(ExperimentLedger.Logs(Record, fromLine, maxLines));
    }

    public async Task Report(WorkerReport report)
    {
        if (!Record.Exists || Record.State != ExperimentState.Running || report.Generation != Record.Generation
            || report.ExperimentId != Id)
            return;
        if (ExperimentLedger.RankOf(Record, report.WorkerKey) is not { } rank) return;
        var effect = EventEffect.None;
        var now = DateTimeOffset.UtcNow;
        RunFailed? retryable = null;
        foreach (var @event in report.Events)
        {
            if (@event is ProgressReported reported)
            {
                if (rank == 0) progress = reported.Progress;
                continue;
            }
            if (@event is RunFinished && rank != 0) finished.Add(report.WorkerKey);
            var applied = ExperimentLedger.ApplyFrom(Record, report.WorkerKey, @event, now, settings.MaxLogLines);
            if (rank == 0 && @event is ValidationReported validation) TellSweep(ExperimentState.Running, validation.Metrics, validation.Epoch);
            if (applied > effect) effect = applied;
            if (applied == EventEffect.Regroup) retryable = (RunFailed)@event;
            if (applied >= EventEffect.Regroup) break;
        }
        if (effect == EventEffect.Ended)
        {
            await Finish();
            return;
        }
        if (effect == EventEffect.Regroup)
        {
            await Regroup($"rank {rank} ({report.WorkerKey}) failed: {retryable!.Error}");
            return;
        }
        if (effect == EventEffect.Persist) await Persist();
        // The index shows each run's epoch: refresh it once per finished epoch.
        if (report.Events.Any(e => e is EpochReported)) await Track();
    }

    public Task PublishRendezvous(int generation, byte[] rendezvous)
    {
        if (generation == Record.Generation) this.rendezvous = (generation, rendezvous);
        return Task.CompletedTask;
    }

    public Task<byte[]?> GetRendezvous(int generation) =>
        Task.FromResult(rendezvous is { } published && published.Generation == generation ? published.Bytes : null);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!Record.Exists || Record.State.IsTerminal()) await ForgetReminder();
        else StartSupervising();
    }

    private async Task Finish()
    {
        Log($"run {Record.State.ToString().ToLowerInvariant()}{(Record.Reason is { } reason ? $": {reason}" : "")}");
        progress = null;
        rendezvous = null;
        StopSupervising();
        await Persist();
        // A rank that failed ends the run: the others would wait on it in their next collective. (After a completed run
        // every rank has ended its last step by itself.)
        if (Record.State == ExperimentState.Failed && Record.Workers.Count > 1) await StopWorkers(Record.Workers.ToList());
        await Registry.Release(Id);
        await Track();
        await ForgetReminder();
        TellSweep(Record.State, Record.Metrics);
    }

    private async Task Tick(CancellationToken cancellation)
    {
        try
        {
            switch (Record.State)
            {
                case ExperimentState.Pending: await TryStart(); break;
                case ExperimentState.Running: await CheckWorkers(); break;
                default: StopSupervising(); break;
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "experiment {Id}: supervision failed; retrying on the next tick", Id);
        }
    }

    /// <summary>
    /// Allocates the group (between min_workers and workers slots, or none) and starts every worker on a new generation.
    /// </summary>
    private async Task TryStart()
    {
        var spec = Record.Spec!;
        await ReadmitExcluded();
        if (Record.State != ExperimentState.Pending) return;
        var excluded = Record.Excluded.ToList();
        var slots = await Registry.Allocate(Id, spec.EffectiveMinWorkers, spec.Workers, spec.DeviceKind, excluded);
        if (Record.State != ExperimentState.Pending)
        {
            if (Record.State.IsTerminal()) await Registry.Release(Id);
            return;
        }
        if (slots.Count == 0)
        {
            var waiting = ExperimentLedger.Waiting(spec, spec.Workers == 1 ? 0
                : SlotAllocator.Available(await Registry.GetView(), Id, spec.DeviceKind, excluded));
            if (Record.State != ExperimentState.Pending || Record.Reason == waiting) return;
            Record.Reason = waiting;
            await Persist();
            return;
        }

        var resume = ExperimentLedger.ResumePoint(Record);
        if (Record.Generation > 0) ExperimentLedger.RewindTo(Record, resume);
        Record.Generation++;
        Record.State = ExperimentState.Running;
        Record.Reason = null;
        Record.StartedAt ??= DateTimeOffset.UtcNow;
        Record.Workers = slots.Select((slot, rank) => new WorkerAssignment(slot.WorkerKey, slot.SiloName, slot.Device, rank)).ToList();
        heartbeat.Reset();
        progress = null;
        rendezvous = null;
        finished.Clear();
        int generation = Record.Generation;
        var workers = Record.Workers.ToList();
        Log($"generation {generation} on {string.Join(", ", workers.Select(w => $"{w.Silo}/{w.Device}"))}, "
            + (resume is null ? "from the start" : $"resuming from epoch {resume.Epoch} ({resume.Key})"));
        await Persist();

        foreach (var worker in workers)
        {
            var start = new WorkerStart(Id, generation, worker.Rank, workers.Count, spec, ArtifactPrefix, resume,
                workers.Select(w => w.WorkerKey).ToList());
            try
            {
                await GrainFactory.GetGrain<IGpuWorkerGrain>(worker.WorkerKey).Start(start).WaitAsync(settings.WorkerStartTimeout);
            }
            catch (Exception e)
            {
                if (Record.State != ExperimentState.Running || Record.Generation != generation) return;
                // The group never trained: not a restart (a silo not yet declared dead may refuse a few times).
                await Regroup($"worker {worker.WorkerKey} could not start: {e.Message}", countRestart: false);
                return;
            }
        }
        await Track();
    }

    /// <summary>Heartbeats: a worker that answers idle or busy with something else, or is unreachable, misses a beat (see
    /// <see cref="HeartbeatMisses"/>).</summary>
    private async Task CheckWorkers()
    {
        int generation = Record.Generation;
        var workers = Record.Workers.ToList();
        var membership = services.GetService<IClusterMembershipService>();
        var probes = await Task.WhenAll(workers.Select(w => WorkerProbe.SendAsync(GrainFactory, membership, w.WorkerKey,
            settings.WorkerStatusTimeout, status => Judge(status, w.WorkerKey, generation))));
        if (Record.State != ExperimentState.Running || Record.Generation != generation) return;
        if (heartbeat.Beat(workers.Zip(probes, (w, p) => (w.WorkerKey, p)).ToList(), DateTimeOffset.UtcNow) is { } lost)
            await Regroup(lost);
    }

    private string? Judge(WorkerStatus status, string workerKey, int generation)
    {
        if (status.Busy && status.ExperimentId == Id && status.Generation == generation) return null;
        if (!status.Busy && finished.Contains(workerKey)) return null;
        return status.Busy ? $"it runs experiment '{status.ExperimentId}' generation {status.Generation}" : "it is idle";
    }

    /// <summary>
    /// Re-forms the group: stops every worker of this generation, keeps out those that do not stop (see
    /// <see cref="FindHung"/>), frees the group's slots and starts a new generation from the last checkpoint on whatever is
    /// free (at least min_workers; until then the run waits).
    /// </summary>
    private async Task Regroup(string why, bool countRestart = true)
    {
        var group = Record.Workers.ToList();
        int generation = Record.Generation;
        var resume = ExperimentLedger.ResumePoint(Record);
        Log($"{why}; re-forming the group from "
            + (resume is null ? "the start" : $"epoch {resume.Epoch} ({resume.Key})"));
        Record.State = ExperimentState.Pending;
        Record.Reason = ExperimentLedger.Waiting(Record.Spec!, 0);
        if (countRestart) Record.Restarts++;
        Record.Workers = [];
        progress = null;
        rendezvous = null;
        heartbeat.Reset();
        await Persist();
        await StopWorkers(group);
        var hung = await FindHung(group, generation);
        foreach (var (workerKey, problem) in hung)
        {
            if (!Record.Excluded.Contains(workerKey)) Record.Excluded.Add(workerKey);
            Log($"worker {workerKey} is left out of the next group: {problem}");
        }
        if (hung.Count > 0) await Persist();
        await Registry.Release(Id);
        // A group that never trained retries on the next tick, not at once: a refusing slot must not loop here.
        if (countRestart && Record.State == ExperimentState.Pending) await TryStart();
    }

    /// <summary>
    /// Workers of a stopped generation that still do not answer, or answer busy with that generation of this run: a
    /// dead silo's slot, or a hung worker (its heartbeat answers, its training thread does not end).
    /// </summary>
    private async Task<List<(string WorkerKey, string Problem)>> FindHung(IReadOnlyList<WorkerAssignment> group, int generation)
    {
        var answers = await Task.WhenAll(group.Select(async w =>
        {
            try
            {
                var status = await GrainFactory.GetGrain<IGpuWorkerGrain>(w.WorkerKey).GetStatus().WaitAsync(settings.WorkerStatusTimeout);
                return ExperimentLedger.HungAfterStop(status, Id, generation);
            }
            catch (Exception e)
            {
                return $"it does not answer ({e.GetType().Name})";
            }
        }));
        return group.Zip(answers).Where(p => p.Second is not null).Select(p => (p.First.WorkerKey, p.Second!)).ToList();
    }

    /// <summary>
    /// An excluded worker that now answers and is not busy with this run may join again; one whose silo is no longer
    /// alive is forgotten (its key names that silo process, so it never comes back).
    /// </summary>
    private async Task ReadmitExcluded()
    {
        if (Record.Excluded.Count == 0) return;
        var alive = (await Registry.GetView()).Silos.Where(s => s.Alive).SelectMany(s => s.Slots)
            .Select(s => s.Slot.WorkerKey).ToHashSet();
        var keys = Record.Excluded.Where(alive.Contains).ToList();
        var back = await Task.WhenAll(keys.Select(async key =>
        {
            try
            {
                var status = await GrainFactory.GetGrain<IGpuWorkerGrain>(key).GetStatus().WaitAsync(settings.WorkerStatusTimeout);
                return ExperimentLedger.MayRejoin(status, Id);
            }
            catch
            {
                return false;
            }
        }));
        var readmitted = keys.Where((_, i) => back[i]).ToList();
        var gone = Record.Excluded.Where(k => !alive.Contains(k)).ToList();
        if ((readmitted.Count == 0 && gone.Count == 0) || Record.State != ExperimentState.Pending) return;
        Record.Excluded.RemoveAll(k => readmitted.Contains(k) || gone.Contains(k));
        foreach (var key in readmitted) Log($"worker {key} answers idle again: it may join the group");
        await Persist();
    }

    private Task StopWorkers(IEnumerable<WorkerAssignment> workers) => Task.WhenAll(workers.Select(async w =>
    {
        try
        {
            await GrainFactory.GetGrain<IGpuWorkerGrain>(w.WorkerKey).Stop(Id).WaitAsync(settings.StopTimeout);
        }
        catch (Exception e)
        {
            logger.LogInformation("experiment {Id}: stopping worker {Worker} failed: {Error}", Id, w.WorkerKey, e.Message);
        }
    }));

    private void StartSupervising() =>
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.Zero, settings.SupervisionInterval)
        {
            KeepAlive = true,
        });

    private void StopSupervising()
    {
        timer?.Dispose();
        timer = null;
    }

    private Task ForgetReminder() => this.ForgetReminder(ReminderName, logger);

    /// <summary>A sweep's trial reports each validation and its end to the sweep (one-way: never waits on it).</summary>
    private void TellSweep(ExperimentState state, IReadOnlyDictionary<string, double> metrics, int? epoch = null)
    {
        if (Record.Spec?.SweepId is not { } sweepId) return;
        int reported = epoch ?? (Record.History.Count > 0 ? Record.History[^1].Epoch : 0);
        GrainFactory.GetGrain<ISweepGrain>(sweepId)
            .TrialReported(new TrialReport(Id, state, reported, new Dictionary<string, double>(metrics), state.IsTerminal() ? Record.Reason : null))
            .Ignore();
    }

    private async Task Track()
    {
        try
        {
            await Registry.TrackExperiment(ExperimentLedger.ToSummary(Record, Id));
        }
        catch (Exception e)
        {
            logger.LogWarning("experiment {Id}: could not update the experiment index: {Error}", Id, e.Message);
        }
    }

    private async Task Persist()
    {
        await writeGate.WaitAsync();
        try
        {
            await state.WriteStateAsync();
        }
        finally
        {
            writeGate.Release();
        }
    }

    private void Log(string message)
    {
        ExperimentLedger.AppendLog(Record, $"{DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} [cluster] {message}", settings.MaxLogLines);
        logger.LogInformation("experiment {Id}: {Message}", Id, message);
    }

    private void RequireExists()
    {
        if (!Record.Exists) throw new UnknownExperimentException(Id);
    }

    private ExperimentStatus Status() => ExperimentLedger.ToStatus(Record, Id, progress,
        services.GetService<IArtifactStore>()?.UriOf(ArtifactPrefix.TrimEnd('/'))) with
    {
        GrainSilo = services.GetService<ILocalSiloDetails>()?.SiloAddress.ToParsableString(),
    };
}
