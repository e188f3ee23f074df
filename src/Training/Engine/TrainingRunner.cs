using System.Diagnostics;
using Cluster.Training.Distributed;
using Cluster.Training.Evaluation;
using Cluster.Training.Hooks;
using Cluster.Training.Models;
using Cluster.Training.Optim;
using Cluster.Training.Optim.Schedulers;
using TorchSharp;
using static TorchSharp.torch;

namespace Cluster.Training.Engine;

/// <summary>
/// MMEngine's Runner with an EpochBasedTrainLoop. <see cref="Run"/> seeds torch, moves the model to the device, builds
/// the optimizer wrapper, applies auto_scale_lr, builds the schedulers and hooks, resumes (everything) or loads
/// weights, then trains epoch by epoch with validation every val_interval epochs from val_begin on.
/// <para>The loss is read back every iteration (one device sync) to stop on NaN/Inf before the step.</para>
/// <para>With a process group (data-parallel): every rank starts from rank 0's parameters and buffers, gradients
/// are averaged before every optimizer step, and at every epoch end the floating-point buffers are averaged
/// (MMEngine's SyncBuffersHook) and a hash of the parameters is compared across ranks (check_replicas), before the
/// hooks see the epoch (so checkpoints and validation use the synced model on every rank). The loss logged is the
/// mean over ranks (the global batch's loss).</para>
/// </summary>
public sealed class TrainingRunner(TrainingRunnerOptions options)
{
    private readonly VideoModel model = options.Model;

    /// <summary>Trains to max_epochs, an early stop, or cancellation (checked between iterations and batches).</summary>
    /// <exception cref="NonFiniteLossException">The loss became NaN or infinite.</exception>
    public TrainingResult Run(CancellationToken cancellation = default)
    {
        ValidateTrainCfg();
        long seed = options.Randomness.Seed ?? Random.Shared.NextInt64(0, 1L << 31);
        manual_seed(seed);
        Emit(new TrainingMessage($"randomness.seed = {seed}"));
        if (cuda.is_available())
        {
            cuda.manual_seed_all(seed);
        }
        var device = DeviceSelector.Resolve(options.Device);
        model.to(device);
        int itersPerEpoch = options.TrainData.BatchesPerEpoch;
        int maxEpochs = options.TrainCfg.MaxEpochs;

        var group = options.ProcessGroup;
        if (group is not null)
        {
            Emit(new TrainingMessage($"data-parallel: rank {group.Rank} of {group.WorldSize}, {group.Describe}; " +
                $"global batch {group.WorldSize} × {options.TrainData.BatchSize}"));
        }
        using var optimWrapper = OptimWrapper.Create(options.OptimWrapper, model.parameters(), group);
        ScaleLr(optimWrapper);
        var schedulers = ParamSchedulerFactory.Create(options.ParamScheduler, optimWrapper.ParamGroups, maxEpochs, itersPerEpoch);
        var recorder = new CheckpointRecorder(model, optimWrapper, schedulers, options, () => seed);
        var context = new TrainingContext(maxEpochs, itersPerEpoch, options.WorkDir,
            recorder.Save, path => options.CheckpointWriter?.Delete(path), Emit);
        var hooks = BuildHooks(schedulers);

        if (options.ResumeFrom is { } resumePath)
        {
            seed = recorder.Resume(resumePath, context);
            Emit(new TrainingMessage($"resumed from {resumePath} at epoch {context.CompletedEpochs}, iter {context.CompletedIters}"));
        }
        else if (options.LoadFrom is { } weightsPath)
        {
            (options.LoadWeights ?? throw new ArgumentException("load_from is set but no weight loader was supplied"))
                .Invoke(model, weightsPath);
            Emit(new TrainingMessage($"loaded weights from {weightsPath}"));
        }
        if (group is { WorldSize: > 1 })
        {
            if (options.Distributed.SyncBn)
            {
                int layers = SyncBatchNormConverter.Convert(model, group);
                Emit(new TrainingMessage($"distributed.sync_bn: {layers} BatchNorm layer(s) share batch statistics across the {group.WorldSize} ranks"));
            }
            AgreeOnStart(group, context);
            group.BroadcastFromRankZero(ModelState());
            Emit(new TrainingMessage($"parameters and buffers broadcast from rank 0 to {group.WorldSize - 1} other rank(s)"));
        }
        optimWrapper.InitializeCountStatus(context.CompletedIters, context.MaxIters);
        hooks.ForEach(hook => hook.BeforeRun(context));

        var evaluation = new EvaluationLoop(model, options.ValEvaluator.Select(m => m.Create()).ToList(), device);
        IReadOnlyDictionary<string, double> lastMetrics = new Dictionary<string, double>();
        var status = TrainingStatus.Completed;
        try
        {
            while (context.CompletedEpochs < maxEpochs && !context.StopTraining)
            {
                RunEpoch(context, optimWrapper, hooks, device, cancellation);
                SyncReplicas(context.CompletedEpochs);
                hooks.ForEach(hook => hook.AfterTrainEpoch(context));
                if (options.ValData is not null && IsValidationDue(context.CompletedEpochs))
                {
                    using var result = evaluation.Run(options.ValData(), cancellation);
                    lastMetrics = result.Metrics;
                    Emit(new ValidationCompleted(context.CompletedEpochs, context.CompletedIters, lastMetrics));
                    hooks.ForEach(hook => hook.AfterValEpoch(context, lastMetrics));
                }
            }
            if (context.StopTraining)
            {
                status = TrainingStatus.EarlyStopped;
            }
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            status = TrainingStatus.Cancelled;
        }
        var trainingResult = new TrainingResult(status, context.CompletedEpochs, context.CompletedIters, lastMetrics,
            context.RuntimeInfo.GetValueOrDefault(CheckpointHook.BestCheckpointKey) as string,
            context.RuntimeInfo.GetValueOrDefault(CheckpointHook.BestScoreKey) as double?, context.StopReason);
        Emit(new TrainingFinished(trainingResult));
        return trainingResult;
    }

    private void RunEpoch(TrainingContext context, OptimWrapper optimWrapper, List<ITrainingHook> hooks, Device device,
        CancellationToken cancellation)
    {
        model.train();
        int epoch = context.CompletedEpochs;
        int itersPerEpoch = context.ItersPerEpoch;
        int batchIndex = (int)(context.CompletedIters - (long)epoch * itersPerEpoch);
        var clock = Stopwatch.StartNew();
        foreach (var batch in options.TrainData.Batches(epoch, batchIndex))
        {
            using (batch)
            {
                cancellation.ThrowIfCancellationRequested();
                if (batchIndex >= itersPerEpoch)
                {
                    throw new InvalidOperationException(
                        $"training data: epoch {epoch + 1} yields more than the announced {itersPerEpoch} batches");
                }
                double dataSeconds = clock.Elapsed.TotalSeconds;
                double lr = optimWrapper.Lr;
                double loss;
                double? gradNorm;
                using (NewDisposeScope())
                {
                    var lossTensor = model.TrainingLoss(batch, device);
                    loss = MeanOverRanks(lossTensor);
                    if (!double.IsFinite(loss))
                    {
                        throw new NonFiniteLossException(epoch + 1, batchIndex + 1, itersPerEpoch, loss);
                    }
                    gradNorm = optimWrapper.UpdateParams(lossTensor);
                }
                batchIndex++;
                context.CompletedIters++;
                context.LastIteration = new IterationStats(loss, lr, gradNorm, batch.Count, dataSeconds,
                    clock.Elapsed.TotalSeconds - dataSeconds);
                hooks.ForEach(hook => hook.AfterTrainIter(context));
                clock.Restart();
            }
        }
        if (batchIndex != itersPerEpoch)
        {
            throw new InvalidOperationException(
                $"training data: epoch {epoch + 1} ended after {batchIndex} of the announced {itersPerEpoch} batches");
        }
        context.CompletedEpochs++;
    }

    /// <summary>
    /// The loss of the whole (global) batch: the mean over ranks in a data-parallel run, which is what one worker
    /// with the global batch would log; a non-finite loss on any rank makes it non-finite on every rank, so all stop
    /// together instead of the others waiting for the collective timeout.
    /// </summary>
    private double MeanOverRanks(Tensor lossTensor)
    {
        if (options.ProcessGroup is not { WorldSize: > 1 } group)
        {
            return lossTensor.item<float>();
        }
        using var shared = lossTensor.detach().reshape(1).clone();
        group.AllReduceMean([shared]);
        return shared.item<float>();
    }

    /// <summary>
    /// Every rank must run the same iterations (same resume point, batches per epoch and epochs), or their collectives
    /// stop matching and the group hangs until the timeout; a mismatch is a setup error, reported at once.
    /// </summary>
    private static void AgreeOnStart(IProcessGroup group, TrainingContext context)
    {
        string local = $"iteration {context.CompletedIters}, {context.ItersPerEpoch} batches per epoch, {context.MaxEpochs} epochs";
        var all = group.AllGather(System.Text.Encoding.UTF8.GetBytes(local)).Select(System.Text.Encoding.UTF8.GetString).ToList();
        if (all.Any(other => other != local))
        {
            throw new InvalidOperationException("data-parallel ranks would run different iterations: " +
                string.Join("; ", all.Select((text, rank) => $"rank {rank} starts at {text}")));
        }
    }

    /// <summary>Parameters then buffers, in module order (the same on every rank).</summary>
    private List<Tensor> ModelState() => [.. model.parameters(), .. model.buffers()];

    private void SyncReplicas(int epoch)
    {
        if (options.ProcessGroup is not { WorldSize: > 1 } group)
        {
            return;
        }
        group.AverageFloatingPoint(model.buffers());
        if (options.Distributed.CheckReplicas)
        {
            group.VerifyReplicas(model.parameters(), epoch);
        }
    }

    private void ValidateTrainCfg()
    {
        var train = options.TrainCfg;
        if (train.Type != "EpochBasedTrainLoop")
        {
            throw new ArgumentException($"train_cfg.type: only EpochBasedTrainLoop is supported, got '{train.Type}'");
        }
        if (train.MaxEpochs <= 0 || train.ValInterval <= 0)
        {
            throw new ArgumentException(
                $"train_cfg.max_epochs ({train.MaxEpochs}) and train_cfg.val_interval ({train.ValInterval}) must be positive");
        }
        if (options.ProcessGroup is { } group && group.WorldSize != options.WorldSize)
        {
            throw new ArgumentException($"world size {options.WorldSize} differs from the process group's {group.WorldSize}");
        }
        if (options.TrainData.BatchesPerEpoch <= 0)
        {
            throw new ArgumentException($"training data: {options.TrainData.BatchesPerEpoch} batches per epoch");
        }
    }

    private bool IsValidationDue(int completedEpochs) =>
        completedEpochs >= options.TrainCfg.ValBegin &&
        (completedEpochs % options.TrainCfg.ValInterval == 0 || completedEpochs == options.TrainCfg.MaxEpochs);

    private void ScaleLr(OptimWrapper optimWrapper)
    {
        if (options.AutoScaleLr is not { Enable: true } autoScale)
        {
            return;
        }
        double before = optimWrapper.Lr;
        double ratio = autoScale.Apply(optimWrapper, options.WorldSize, options.TrainData.BatchSize);
        Emit(new TrainingMessage(
            $"auto_scale_lr: lr {before} → {optimWrapper.Lr} (×{ratio}: {options.WorldSize} workers × " +
            $"{options.TrainData.BatchSize} / base_batch_size {autoScale.BaseBatchSize})"));
    }

    /// <summary>In MMEngine's priority order: logger, param scheduler, checkpoint, then custom hooks.</summary>
    private List<ITrainingHook> BuildHooks(ParamSchedulerSet schedulers)
    {
        var hooks = new List<ITrainingHook>();
        if (options.DefaultHooks.Logger is { } logger)
        {
            hooks.Add(logger.Create());
        }
        hooks.Add(new ParamSchedulerHook(schedulers));
        if (options.DefaultHooks.Checkpoint is { } checkpoint)
        {
            // Every rank can load a checkpoint (resume); only rank 0 saves them.
            if (options.ProcessGroup is { Rank: > 0 } group)
            {
                Emit(new TrainingMessage($"rank {group.Rank}: checkpoints are saved by rank 0 only"));
            }
            else if (options.CheckpointWriter is null)
            {
                Emit(new TrainingMessage("no checkpoint writer: checkpoints are not saved"));
            }
            else
            {
                hooks.Add(checkpoint.Create());
            }
        }
        hooks.AddRange(options.CustomHooks.Select(hook => hook.Create()));
        return hooks;
    }

    private void Emit(TrainingEvent trainingEvent) => options.Progress?.Report(trainingEvent);
}
