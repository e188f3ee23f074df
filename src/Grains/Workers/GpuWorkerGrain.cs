using Cluster.Abstractions.Collectives;
using Cluster.Abstractions.Data;
using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Lfb;
using Cluster.Abstractions.Workers;
using Cluster.Grains.Collectives;
using Cluster.Grains.Lfb;
using Cluster.Grains.Placement;
using Cluster.Training.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cluster.Grains.Workers;

/// <summary>
/// A compute slot (key <c>{silo address}/{device}</c>), active only on its silo. Runs one <see cref="WorkerRun"/> (or one
/// feature-bank shard, <see cref="BankShardRun"/>) at a time on its own thread; grain turns only start, stop and describe it. Stays active while a run trains; the run
/// itself is kept in the silo's <see cref="SlotRuns"/>, so it survives a deactivation of this grain.
/// </summary>
[SiloPinnedPlacement]
public sealed class GpuWorkerGrain(IOptions<WorkerOptions> options, SlotRuns slotRuns, CollectiveMailboxes mailboxes,
    ILogger<GpuWorkerGrain> logger)
    : Grain, IGpuWorkerGrain
{
    private static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromMinutes(1);

    private IGrainTimer? keepAlive;

    private ISlotRun? Run => slotRuns.Of(Key);

    private string Key => this.GetPrimaryKeyString();
    private string Device => WorkerKey.Parse(Key).Device;

    public async Task Start(WorkerStart start)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (Run is { IsTraining: true } current)
        {
            if (current.ExperimentId != start.ExperimentId)
                throw new InvalidOperationException(
                    $"worker {Key} is busy with experiment '{current.ExperimentId}' (generation {current.Generation}); cannot start '{start.ExperimentId}'");
            if (current.Generation == start.Generation) return; // a repeated Start of the run already training
            if (current.Generation > start.Generation)
                throw new InvalidOperationException(
                    $"worker {Key} already trains generation {current.Generation} of '{start.ExperimentId}'; refusing older generation {start.Generation}");
            logger.LogInformation("Worker {Worker}: generation {New} of {Experiment} replaces generation {Old}", Key, start.Generation, start.ExperimentId, current.Generation);
            await current.StopAsync(options.Value.ReportFlushTimeout);
        }

        var store = ServiceProvider.GetService<IArtifactStore>()
                    ?? throw new InvalidOperationException($"worker {Key}: no artifact store is registered on this silo");
        var grains = GrainFactory;
        var started = new WorkerRun(start, new WorkerEnvironment(
            Key,
            RuntimeIdentity,
            DeviceNames.EngineDevice(Device),
            store,
            options.Value.ScratchPath,
            key => grains.GetGrain<IDatasetShardGrain>(key),
            report => grains.GetGrain<IExperimentGrain>(report.ExperimentId).Report(report),
            ServiceProvider.GetService<ProcessGroupFactory>()));
        slotRuns.Replace(Key, started);
        started.Start();
        KeepAliveWhileBusy();
        logger.LogInformation("Worker {Worker}: started {Experiment} generation {Generation}, rank {Rank} of {World}", Key, start.ExperimentId, start.Generation, start.Rank, start.WorldSize);
    }

    public Task ComputeBankShard(BankShardWork work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (Run is { IsTraining: true } current)
        {
            if (current.ExperimentId == work.LeaseId && current.Generation == work.Attempt) return Task.CompletedTask;
            throw new InvalidOperationException(
                $"worker {Key} is busy with '{current.ExperimentId}' ({current.Generation}); cannot compute shard {work.Shard} of bank {work.BankId}");
        }
        var store = ServiceProvider.GetService<IArtifactStore>()
                    ?? throw new InvalidOperationException($"worker {Key}: no artifact store is registered on this silo");
        var computer = ServiceProvider.GetService<IBankShardComputer>()
                       ?? throw new InvalidOperationException($"worker {Key}: no bank shard computer is registered on this silo");
        var run = new BankShardRun(work, new BankShardEnvironment(Key, DeviceNames.EngineDevice(Device), store, options.Value.ScratchPath,
            GrainFactory.GetGrain<IDatasetShardGrain>(work.ShardKey), GrainFactory.GetGrain<IFeatureBankGrain>(work.BankId), computer));
        slotRuns.Replace(Key, run);
        run.Start();
        KeepAliveWhileBusy();
        logger.LogInformation("Worker {Worker}: computing shard {Split}/{Shard} of bank {Bank} ({Videos} videos, attempt {Attempt})",
            Key, work.Split, work.Shard, work.BankId, work.Videos.Count, work.Attempt);
        return Task.CompletedTask;
    }

    public Task Deliver(CollectiveMessage message)
    {
        mailboxes.Deliver(Key, message);
        return Task.CompletedTask;
    }

    public Task<AllReduceBenchmarkResult> BenchmarkAllReduce(AllReduceBenchmarkSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        AllReduceBenchmark.Validate(spec, Key);
        if (Run is { IsTraining: true } current)
            throw new InvalidOperationException(
                $"worker {Key} trains experiment '{current.ExperimentId}' (generation {current.Generation}): no benchmark while it trains");
        var groups = ServiceProvider.GetRequiredService<ProcessGroupFactory>();
        return AllReduceBenchmark.RunOnThreadAsync(spec, groups, DeviceNames.EngineDevice(Device));
    }

    public async Task Stop(string experimentId)
    {
        if (Run is not { } current || current.ExperimentId != experimentId) return;
        await current.StopAsync(options.Value.ReportFlushTimeout);
    }

    /// <summary>
    /// Busy while the run trains or its last reports are on their way; the experiment and generation are the current
    /// or last run's on this silo (null and 0 when it ran none: e.g. the slot's silo restarted).
    /// </summary>
    public Task<WorkerStatus> GetStatus() =>
        Task.FromResult(new WorkerStatus(Key, RuntimeIdentity, Device, Run?.ExperimentId, Run?.Generation ?? 0,
            Run?.IsBusy ?? false, DateTimeOffset.UtcNow));

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Run is { IsBusy: true } busy)
        {
            logger.LogInformation("Worker {Worker}: reactivated while {Experiment} trains; keeping its run", Key, busy.ExperimentId);
            KeepAliveWhileBusy();
        }
        return base.OnActivateAsync(cancellationToken);
    }

    private void KeepAliveWhileBusy() => keepAlive ??= this.RegisterGrainTimer(KeepAliveTick,
        new GrainTimerCreationOptions(KeepAlivePeriod, KeepAlivePeriod) { KeepAlive = true, Interleave = true });

    /// <summary>While a run is busy the timer (KeepAlive) holds the activation; once it ended the timer goes.</summary>
    private Task KeepAliveTick(CancellationToken cancellation)
    {
        if (Run is not { IsBusy: true })
        {
            keepAlive?.Dispose();
            keepAlive = null;
        }
        return Task.CompletedTask;
    }
}
