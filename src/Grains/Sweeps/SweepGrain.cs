using Cluster.Abstractions.Experiments;
using Cluster.Abstractions.Registry;
using Cluster.Abstractions.Sweeps;
using Cluster.Grains.Experiments;
using Cluster.Training.Configs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Runtime;

namespace Cluster.Grains.Sweeps;

/// <summary>
/// One sweep. Thin over <see cref="SweepLedger"/>: persists what it decided, then makes the experiment calls that
/// follow (submit a trial, cancel a stopped one). A grain timer reconciles the live trials with their experiments (a
/// report lost with a silo is read back from the experiment's own persisted history), checks the time budget and fills
/// free trial slots; a reminder brings a live sweep back on a surviving silo. Trials wait for compute slots as Pending
/// experiments, at most max_concurrent_trials of them at once, so a sweep never holds slots it cannot use.
/// </summary>
public sealed class SweepGrain(
    [PersistentState("sweep", GrainStorageNames.Cluster)] IPersistentState<SweepRecord> state,
    IOptions<SweepOptions> options,
    ILocalSiloDetails silo,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    public const string ReminderName = "sweep";
    public const int MaxIdLength = 100;

    private readonly SweepOptions settings = options.Value;
    private SweepLedger? ledger;
    private IGrainTimer? timer;
    private SweepSummary? tracked;

    private string Id => this.GetPrimaryKeyString();
    private SweepRecord Record => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (!Record.Exists) return;
        try
        {
            var submission = Record.Submission!;
            var plan = await Task.Run(() => SweepPlan.Parse(submission), cancellationToken);
            ledger = new SweepLedger(Id, Record, plan);
        }
        catch (ConfigException e)
        {
            // Accepted once, refused now (the spec rules changed): end it rather than run on half a plan.
            logger.LogError("sweep {Id}: its stored spec no longer loads: {Error}", Id, e.Message);
            Record.State = SweepState.Failed;
            Record.Reason = $"its spec no longer loads: {e.Message}";
            Record.EndedAt ??= DateTimeOffset.UtcNow;
            await state.WriteStateAsync(cancellationToken);
            return;
        }
        if (!Record.State.IsTerminal())
        {
            logger.LogInformation("sweep {Id}: reactivated while {State}: reconciling {Count} live trial(s)", Id, Record.State,
                ledger.LiveTrials.Count);
            StartTicking();
        }
    }

    public async Task<SweepStatus> Submit(SweepSubmission submission)
    {
        if (Record.Exists)
            throw new SweepRejectedException($"sweep '{Id}' already exists ({Record.State.ToString().ToLowerInvariant()})");
        ValidateId(Id);
        if (submission.DeviceKind is { } kind && !SubmissionValidator.DeviceKinds.Contains(kind))
            throw new SweepRejectedException($"sweep '{Id}': unknown device kind '{kind}' (expected {string.Join(" or ", SubmissionValidator.DeviceKinds)})");
        SweepPlan plan;
        try
        {
            plan = await Task.Run(() => SweepPlan.Parse(submission));
        }
        catch (ConfigException e)
        {
            throw new SweepRejectedException(e.Message);
        }
        await CheckResources(plan);

        var record = new SweepRecord { Submission = submission, State = SweepState.Pending, CreatedAt = DateTimeOffset.UtcNow };
        state.State = record;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = new SweepRecord();
            throw;
        }
        ledger = new SweepLedger(Id, record, plan);
        logger.LogInformation("sweep {Id}: submitted {Name}: {Trials} trial(s), {Concurrent} at once, {Workers} worker(s) each",
            Id, submission.Name, ledger.ToStatus().PlannedTrials, plan.Settings.MaxConcurrentTrials, plan.Settings.WorkersPerTrial);
        await this.RegisterOrUpdateReminder(ReminderName, settings.ReminderPeriod, settings.ReminderPeriod);
        await Apply(ledger.Fill(DateTimeOffset.UtcNow));
        StartTicking();
        return Status();
    }

    public Task<SweepStatus> GetStatus() => Task.FromResult(Status());

    public async Task<SweepStatus> Cancel(string reason)
    {
        var ledger = Ledger();
        await Apply(ledger.End(SweepState.Cancelled, reason, DateTimeOffset.UtcNow));
        return Status();
    }

    public async Task<string> GetTrialConfig(string trialId)
    {
        var ledger = Ledger();
        var trial = ledger.TrialById(trialId) ?? throw new UnknownTrialException(Id, trialId);
        return await Task.Run(() => ledger.TrialConfigYaml(trial));
    }

    public async Task TrialReported(TrialReport report)
    {
        if (ledger is null) return;
        try
        {
            if (!report.State.IsTerminal())
            {
                await Apply(ledger.OnResult(report.ExperimentId, report.Epoch, report.Metrics, DateTimeOffset.UtcNow));
                return;
            }
            // The end: its checkpoints and any result the sweep missed are in the experiment's status.
            if (ledger.TrialOf(report.ExperimentId) is null) return;
            var status = await Experiment(report.ExperimentId).GetStatus().WaitAsync(settings.ExperimentCallTimeout);
            await Apply(ledger.OnExperimentStatus(status, DateTimeOffset.UtcNow));
        }
        catch (Exception e)
        {
            logger.LogWarning("sweep {Id}: report of {Experiment} not applied ({Error}); the next tick reconciles it",
                Id, report.ExperimentId, e.Message);
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (ledger is null || Record.State.IsTerminal()) await ForgetReminder();
        else StartTicking();
    }

    /// <summary>Reconciles every live trial with its experiment, then checks the budget and fills free trial slots.</summary>
    private async Task Tick(CancellationToken cancellation)
    {
        if (ledger is null) return;
        try
        {
            foreach (int index in ledger.LiveTrials.ToList())
            {
                if (index >= Record.Trials.Count) continue;
                var experimentId = ledger.ExperimentOf(Record.Trials[index]);
                await Reconcile(experimentId);
            }
            await Apply(ledger.Fill(DateTimeOffset.UtcNow));
            if (ledger.Dirty) await Persist();
            await Track();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "sweep {Id}: tick failed; retrying on the next one", Id);
        }
        if (Record.State.IsTerminal() && ledger.LiveTrials.Count == 0) await Stop();
    }

    private async Task Reconcile(string experimentId)
    {
        ExperimentStatus status;
        try
        {
            status = await Experiment(experimentId).GetStatus().WaitAsync(settings.ExperimentCallTimeout);
        }
        catch (UnknownExperimentException)
        {
            if (ledger!.OnExperimentMissing(experimentId, DateTimeOffset.UtcNow) is { } start) await Apply([start]);
            return;
        }
        catch (Exception e)
        {
            logger.LogInformation("sweep {Id}: status of {Experiment} unavailable: {Error}", Id, experimentId, e.Message);
            return;
        }
        await Apply(ledger!.OnExperimentStatus(status, DateTimeOffset.UtcNow));
    }

    /// <summary>Persists what the ledger decided, then makes the calls that follow, feeding their answers back.</summary>
    private async Task Apply(List<SweepAction> actions)
    {
        if (actions.Count == 0 && !(ledger!.Dirty && Record.State.IsTerminal())) return;
        await Persist();
        foreach (var action in actions)
        {
            switch (action)
            {
                case StartExperiment start: await StartTrial(start); break;
                case CancelExperiment cancel: await CancelTrial(cancel); break;
            }
        }
        if (ledger!.Dirty) await Persist();
        await Track();
        if (Record.State.IsTerminal() && ledger.LiveTrials.Count == 0) await Stop();
    }

    private async Task StartTrial(StartExperiment start)
    {
        var experiment = Experiment(start.ExperimentId);
        try
        {
            var status = await experiment.Submit(start.Spec).WaitAsync(settings.ExperimentCallTimeout);
            logger.LogInformation("sweep {Id}: trial {Trial} started as experiment {Experiment}", Id, start.TrialIndex, start.ExperimentId);
            await Apply(ledger!.OnExperimentStatus(status, DateTimeOffset.UtcNow));
        }
        catch (ExperimentRejectedException e)
        {
            // Submitted before by an activation that died before it could note it: the experiment is there.
            try
            {
                await Apply(ledger!.OnExperimentStatus(await experiment.GetStatus(), DateTimeOffset.UtcNow));
            }
            catch (UnknownExperimentException)
            {
                logger.LogWarning("sweep {Id}: trial {Trial} refused: {Error}", Id, start.TrialIndex, e.Message);
                await Apply(ledger!.OnStartRejected(start.ExperimentId, e.Message, DateTimeOffset.UtcNow));
            }
        }
        catch (Exception e)
        {
            logger.LogWarning("sweep {Id}: submitting {Experiment} failed ({Error}); the next tick retries", Id, start.ExperimentId, e.Message);
        }
    }

    private async Task CancelTrial(CancelExperiment cancel)
    {
        try
        {
            var status = await Experiment(cancel.ExperimentId).Cancel(cancel.Reason).WaitAsync(settings.ExperimentCallTimeout);
            logger.LogInformation("sweep {Id}: cancelled {Experiment}: {Reason}", Id, cancel.ExperimentId, cancel.Reason);
            await Apply(ledger!.OnExperimentStatus(status, DateTimeOffset.UtcNow));
        }
        catch (UnknownExperimentException)
        {
            ledger!.OnExperimentMissing(cancel.ExperimentId, DateTimeOffset.UtcNow);
        }
        catch (Exception e)
        {
            logger.LogWarning("sweep {Id}: cancelling {Experiment} failed ({Error}); the next tick retries", Id, cancel.ExperimentId, e.Message);
        }
    }

    /// <summary>A trial must fit the cluster: workers_per_trial at most the slots of every live silo together.</summary>
    private async Task CheckResources(SweepPlan plan)
    {
        var view = await GrainFactory.GetGrain<IClusterRegistryGrain>(0).GetView();
        var kind = plan.Submission.DeviceKind;
        int slots = view.Silos.Where(s => s.Alive).SelectMany(s => s.Slots).Count(s => kind is null || s.Slot.Kind == kind);
        int wanted = plan.Settings.WorkersPerTrial;
        if (wanted > slots)
            throw new SweepRejectedException($"{plan.Spec.Name}: sweep.workers_per_trial: {wanted} worker(s) per trial is more than "
                + $"the {slots} {(kind is null ? "" : kind + " ")}slot(s) the cluster has");
    }

    private static void ValidateId(string id)
    {
        if (string.IsNullOrEmpty(id)) throw new SweepRejectedException("sweep id is empty");
        if (id.Length > MaxIdLength)
            throw new SweepRejectedException($"sweep id '{id[..32]}...' is longer than {MaxIdLength} characters");
        if (id[0] == '.' || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw new SweepRejectedException($"sweep id '{id}' may hold only letters, digits, '-', '_' and '.', and may not start with '.'");
    }

    private SweepStatus Status() => Ledger().ToStatus() with { GrainSilo = silo.SiloAddress.ToParsableString() };

    private SweepLedger Ledger() => ledger ?? throw new UnknownSweepException(Id);

    private IExperimentGrain Experiment(string id) => GrainFactory.GetGrain<IExperimentGrain>(id);

    private async Task Persist()
    {
        await state.WriteStateAsync();
        ledger?.MarkPersisted();
    }

    /// <summary>Keeps the sweep's line in the index up to date (only when it changed).</summary>
    private async Task Track()
    {
        var summary = ledger!.ToSummary();
        if (summary == tracked) return;
        try
        {
            await GrainFactory.GetGrain<ISweepIndexGrain>(0).Track(summary);
            tracked = summary;
        }
        catch (Exception e)
        {
            logger.LogWarning("sweep {Id}: could not update the sweep index: {Error}", Id, e.Message);
        }
    }

    private void StartTicking() =>
        timer ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(settings.TickInterval, settings.TickInterval)
        {
            KeepAlive = true,
        });

    private async Task Stop()
    {
        timer?.Dispose();
        timer = null;
        await ForgetReminder();
    }

    private Task ForgetReminder() => this.ForgetReminder(ReminderName, logger);
}
