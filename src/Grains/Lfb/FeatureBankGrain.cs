using Cluster.Abstractions.Lfb;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Experiments;
using Cluster.Grains.Workers;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cluster.Grains.Lfb;

/// <summary>
/// A feature bank's computation (key: bank id), thin over <see cref="BankLedger"/>. A grain timer supervises: it leases
/// free slots through the registry (lease holder <c>bank:{id}</c>) for the shards still pending and hands one shard to
/// each, probes the running ones' workers (a worker lost or busy with something else twice in a row gives its shard
/// back, unless its shard grain already holds the part), frees slots with nothing left to do, and once a split's
/// shards all have parts merges them into <c>banks/{id}/lfb_{split}.bank</c> on a thread-pool task (never in a grain
/// turn). A reminder brings a live bank back on a surviving silo; the shard grains are the record of finished work.
/// Supervision settings are the experiments' (<see cref="ExperimentOptions"/>).
/// </summary>
public sealed class FeatureBankGrain(
    [PersistentState("bank", GrainStorageNames.Cluster)] IPersistentState<BankRecord> state,
    IOptions<ExperimentOptions> options,
    IServiceProvider services,
    ILogger<FeatureBankGrain> logger) : Grain, IFeatureBankGrain, IRemindable
{
    public const string ReminderName = "supervise";

    /// <summary>A shard failing this often for the environment's reasons (storage, stops) fails its split.</summary>
    private const int MaxShardFailures = 3;

    private readonly ExperimentOptions settings = options.Value;
    private readonly Dictionary<(string Split, int Shard), (int Attempt, long Features)> live = [];
    private readonly Dictionary<(string Split, int Shard), HeartbeatMisses> misses = [];
    private readonly Dictionary<string, Task<BankBlob>> merges = [];
    private readonly HashSet<string> leased = [];
    private IGrainTimer? timer;
    private IGrainTimer? mergeWatch;
    private bool reconciled;

    private string Id => this.GetPrimaryKeyString();
    private string LeaseId => BankSplits.LeaseId(Id);
    private BankRecord Record => state.State;
    private IClusterRegistryGrain Registry => GrainFactory.GetGrain<IClusterRegistryGrain>(0);
    private IArtifactStore Store => services.GetService<IArtifactStore>()
                                    ?? throw new InvalidOperationException($"bank {Id}: no artifact store is registered on this silo");

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Record.Splits.Values.Any(j => j.IsActive))
        {
            logger.LogInformation("bank {Id}: reactivated with work in progress; checking its shards", Id);
            StartSupervising();
        }
        return Task.CompletedTask;
    }

    public async Task<BankStatus> Compute(BankRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        _ = Store; // no store, no bank: refuse before anything is recorded
        bool existed = Record.Exists, newSplit = !Record.Splits.ContainsKey(request.Split);
        if (!BankLedger.Request(Record, Id, request, DateTimeOffset.UtcNow)) return Status();
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Nothing half-created: a split that could not be stored is forgotten here too.
            if (!existed) state.State = new BankRecord();
            else if (newSplit) Record.Splits.Remove(request.Split);
            throw;
        }
        logger.LogInformation("bank {Id}: computing split {Split} of {Config} ({Videos} videos in {Shards} shards, {Dtype})", Id,
            request.Split, request.ConfigName, request.Videos.Count, Record.Splits[request.Split].Shards.Count, request.Dtype);
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        await Track();
        StartSupervising();
        return Status();
    }

    public Task<BankStatus> GetStatus()
    {
        RequireExists();
        return Task.FromResult(Status());
    }

    public async Task<BankStatus> Cancel(string reason)
    {
        RequireExists();
        var running = BankLedger.Running(Record).Select(r => r.Shard.Worker!).ToList();
        var ending = Record.Splits.Values.Where(j => j.IsActive).ToList();
        if (ending.Count == 0) return Status();
        foreach (var job in ending) BankLedger.End(job, BankState.Cancelled, reason, DateTimeOffset.UtcNow);
        await state.WriteStateAsync();
        await StopWorkers(running);
        await Finish();
        return Status();
    }

    public Task ShardProgress(BankShardProgress progress)
    {
        if (Record.Splits.TryGetValue(progress.Split, out var job)
            && job.Shards.FirstOrDefault(s => s.Index == progress.Shard) is { IsRunning: true } shard && shard.Attempt == progress.Attempt)
            live[(progress.Split, progress.Shard)] = (progress.Attempt, progress.Features);
        return Task.CompletedTask;
    }

    public async Task ShardEnded(BankShardOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var effect = BankLedger.Apply(Record, outcome, MaxShardFailures, DateTimeOffset.UtcNow);
        if (effect == BankLedger.OutcomeEffect.Ignored) return;
        live.Remove((outcome.Split, outcome.Shard));
        misses.Remove((outcome.Split, outcome.Shard));
        if (outcome.Error is { } error) logger.LogWarning("bank {Id}: shard {Split}/{Shard} failed on {Worker}: {Error}", Id, outcome.Split, outcome.Shard, outcome.WorkerKey, error);
        await state.WriteStateAsync();
        if (effect == BankLedger.OutcomeEffect.Failed)
        {
            var job = Record.Splits[outcome.Split];
            await StopWorkers(job.Shards.Where(s => s.Worker is not null).Select(s => s.Worker!).ToList());
            if (!Record.Splits.Values.Any(j => j.IsActive)) await Finish();
            else await Track();
            return;
        }
        await Track();
        // The slot that just finished takes the next shard now rather than at the next tick.
        await Supervise();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Record.Splits.Values.Any(j => j.IsActive)) StartSupervising();
        else return this.ForgetReminder(ReminderName, logger);
        return Task.CompletedTask;
    }

    private async Task Tick(CancellationToken cancellation)
    {
        try
        {
            await Supervise();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "bank {Id}: supervision failed; retrying on the next tick", Id);
        }
    }

    private async Task Supervise()
    {
        if (!reconciled) await Reconcile();
        await CollectMerges();
        await CheckWorkers();
        await HandOut();
        await StartMerges();
        if (!Record.Splits.Values.Any(j => j.IsActive)) await Finish();
    }

    /// <summary>After an activation: shards whose part a shard grain holds (the report never arrived) are adopted.</summary>
    private async Task Reconcile()
    {
        var open = Record.Splits.Values.Where(j => j.IsActive).SelectMany(j => j.Shards.Where(s => !s.IsDone)).ToList();
        var records = await Task.WhenAll(open.Select(s => GrainFactory.GetGrain<IDatasetShardGrain>(s.Key).GetBankWork(Id)));
        bool changed = false;
        foreach (var (shard, work) in open.Zip(records))
        {
            if (work?.Part is not { } part) continue;
            BankLedger.Adopt(shard, part);
            changed = true;
        }
        if (changed) await state.WriteStateAsync();
        reconciled = true;
    }

    /// <summary>Heartbeats of the running shards' workers; a shard whose worker missed twice is adopted or handed out again.</summary>
    private async Task CheckWorkers()
    {
        var running = BankLedger.Running(Record);
        if (running.Count == 0) return;
        var membership = services.GetService<IClusterMembershipService>();
        var probes = await Task.WhenAll(running.Select(r => WorkerProbe.SendAsync(GrainFactory, membership, r.Shard.Worker!,
            settings.WorkerStatusTimeout, status => Judge(status, r.Shard.Attempt))));
        bool changed = false;
        foreach (var ((job, shard), probe) in running.Zip(probes))
        {
            var key = (job.Request.Split, shard.Index);
            if (probe.Problem is null || !shard.IsRunning)
            {
                misses.Remove(key);
                continue;
            }
            if (!misses.TryGetValue(key, out var heartbeat))
                misses[key] = heartbeat = new HeartbeatMisses(settings.MissesBeforeLost, settings.UnreachableBeforeLost);
            if (heartbeat.Beat([(shard.Worker!, probe)], DateTimeOffset.UtcNow) is not { } problem) continue;
            misses.Remove(key);
            live.Remove(key);
            var work = await GrainFactory.GetGrain<IDatasetShardGrain>(shard.Key).GetBankWork(Id);
            if (!shard.IsRunning) continue;
            if (work?.Part is { } part) BankLedger.Adopt(shard, part);
            else
            {
                logger.LogWarning("bank {Id}, shard {Split}/{Shard}: {Problem}; handing the shard out again",
                    Id, job.Request.Split, shard.Index, problem);
                leased.Remove(shard.Worker!);
                BankLedger.Lost(job, shard);
            }
            changed = true;
        }
        if (changed) await state.WriteStateAsync();
    }

    private string? Judge(WorkerStatus status, int attempt)
    {
        if (status.Busy && status.ExperimentId == LeaseId && status.Generation == attempt) return null;
        return status.Busy ? $"it runs '{status.ExperimentId}' ({status.Generation})" : "it is idle";
    }

    /// <summary>Leases slots for the pending shards (counting those already leased) and starts one shard on each idle one.</summary>
    private async Task HandOut()
    {
        var pending = BankLedger.Pending(Record);
        var busy = BankLedger.Running(Record).Select(r => r.Shard.Worker!).ToHashSet();
        if (pending.Count == 0)
        {
            foreach (var idle in leased.Where(k => !busy.Contains(k)).ToList())
            {
                await Registry.ReleaseSlot(idle);
                leased.Remove(idle);
            }
            return;
        }
        var request = pending[0].Job.Request;
        int most = pending.Count + busy.Count;
        if (request.MaxWorkers is { } cap) most = Math.Min(most, cap);
        if (most <= busy.Count) return;
        var slots = await Registry.Allocate(LeaseId, 1, most, request.DeviceKind);
        foreach (var slot in slots) leased.Add(slot.WorkerKey);
        var idleSlots = slots.Where(s => !busy.Contains(s.WorkerKey)).ToList();
        // Re-read: the allocation awaited, but only AlwaysInterleave progress can have run meanwhile.
        pending = BankLedger.Pending(Record);
        foreach (var (slot, (job, shard)) in idleSlots.Zip(pending))
        {
            var work = BankLedger.Assign(Record, Id, job, shard, slot.WorkerKey, DateTimeOffset.UtcNow);
            await state.WriteStateAsync();
            try
            {
                await GrainFactory.GetGrain<IGpuWorkerGrain>(slot.WorkerKey).ComputeBankShard(work).WaitAsync(settings.WorkerStartTimeout);
                logger.LogInformation("bank {Id}: shard {Split}/{Shard} ({Videos} videos) on {Worker}, attempt {Attempt}", Id,
                    job.Request.Split, shard.Index, shard.Videos.Count, slot.WorkerKey, work.Attempt);
            }
            catch (Exception e)
            {
                logger.LogWarning("bank {Id}: worker {Worker} could not start shard {Split}/{Shard}: {Error}", Id, slot.WorkerKey,
                    job.Request.Split, shard.Index, e.Message);
                if (shard.Worker == slot.WorkerKey && shard.Attempt == work.Attempt) shard.Worker = null;
                leased.Remove(slot.WorkerKey);
                await Registry.ReleaseSlot(slot.WorkerKey);
                await state.WriteStateAsync();
            }
        }
    }

    /// <summary>Splits whose shards all have parts move to merging, on a thread-pool task of this silo.</summary>
    private async Task StartMerges()
    {
        bool changed = false;
        foreach (var job in Record.Splits.Values.Where(j => j.State is BankState.Pending or BankState.Running or BankState.Merging))
        {
            if (!BankLedger.AllDone(job) || merges.ContainsKey(job.Request.Split)) continue;
            if (job.State != BankState.Merging)
            {
                job.State = BankState.Merging;
                job.StartedAt ??= DateTimeOffset.UtcNow;
                changed = true;
            }
            var parts = BankLedger.Parts(job);
            string key = BankSplits.BankKey(Id, job.Request.Split);
            string dtype = job.Request.Dtype;
            var store = Store;
            string scratch = Path.Combine(services.GetService<IOptions<Workers.WorkerOptions>>()?.Value.ScratchPath ?? Path.GetTempPath(),
                "bank-merges", Id, job.Request.Split);
            merges[job.Request.Split] = Task.Run(() => BankMerge.MergeAsync(store, parts, key, dtype, scratch));
            WatchMerges();
            logger.LogInformation("bank {Id}: merging {Parts} parts of split {Split} into {Key}", Id, parts.Count, job.Request.Split, key);
        }
        if (changed) await state.WriteStateAsync();
    }

    /// <summary>A merge's end is picked up within a tenth of a second, not at the next supervision tick.</summary>
    private void WatchMerges() => mergeWatch ??= this.RegisterGrainTimer(async _ =>
    {
        await CollectMerges();
        if (merges.Count > 0) return;
        mergeWatch?.Dispose();
        mergeWatch = null;
        if (!Record.Splits.Values.Any(j => j.IsActive)) await Finish();
    }, new GrainTimerCreationOptions(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(100)) { KeepAlive = true });

    private async Task CollectMerges()
    {
        foreach (var (split, merge) in merges.Where(m => m.Value.IsCompleted).ToList())
        {
            merges.Remove(split);
            if (!Record.Splits.TryGetValue(split, out var job) || job.State != BankState.Merging) continue;
            if (merge.IsCompletedSuccessfully)
            {
                job.Bank = merge.Result;
                BankLedger.End(job, BankState.Completed, null, DateTimeOffset.UtcNow);
                logger.LogInformation("bank {Id}: split {Split} stored as {Uri}", Id, split, job.Bank.Uri);
            }
            else
            {
                var error = merge.Exception!.GetBaseException();
                BankLedger.End(job, BankState.Failed, $"merging the parts failed: {Workers.WorkerRun.OneLine(error)}", DateTimeOffset.UtcNow);
            }
            await state.WriteStateAsync();
            await Track();
        }
    }

    /// <summary>Nothing active any more: slots go back, supervision and the reminder stop.</summary>
    private async Task Finish()
    {
        StopSupervising();
        leased.Clear();
        await Registry.Release(LeaseId);
        await Track();
        await this.ForgetReminder(ReminderName, logger);
    }

    private Task StopWorkers(IReadOnlyList<string> workers) => Task.WhenAll(workers.Select(async worker =>
    {
        try
        {
            await GrainFactory.GetGrain<IGpuWorkerGrain>(worker).Stop(LeaseId).WaitAsync(settings.StopTimeout);
        }
        catch (Exception e)
        {
            logger.LogInformation("bank {Id}: stopping worker {Worker} failed: {Error}", Id, worker, e.Message);
        }
    }));

    private void StartSupervising() =>
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TimeSpan.Zero, settings.SupervisionInterval) { KeepAlive = true });

    private void StopSupervising()
    {
        timer?.Dispose();
        timer = null;
    }

    private async Task Track()
    {
        try
        {
            var index = GrainFactory.GetGrain<IFeatureBankIndexGrain>(0);
            foreach (var summary in BankLedger.Summaries(Record, Id)) await index.Track(summary);
        }
        catch (Exception e)
        {
            logger.LogWarning("bank {Id}: could not update the bank index: {Error}", Id, e.Message);
        }
    }

    private void RequireExists()
    {
        if (!Record.Exists) throw new UnknownBankException(Id);
    }

    private BankStatus Status() => BankLedger.ToStatus(Record, Id,
        (split, shard) => live.TryGetValue((split, shard), out var progress) ? progress.Features : 0, DateTimeOffset.UtcNow,
        services.GetService<ILocalSiloDetails>()?.SiloAddress.ToParsableString());
}
