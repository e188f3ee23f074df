using Cluster.Training.Distributed;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Training.Optim;

/// <summary>
/// MMEngine's <c>OptimWrapper</c>: backward, gradient accumulation, clipping by total norm and the optimizer step.
/// <para>Accumulation follows <c>OptimWrapper.scale_loss</c>/<c>should_update</c>: the loss is divided by
/// accumulative_counts and the optimizer steps every accumulative_counts iterations; the last incomplete group of the
/// whole run (max_iters not a multiple of the count) divides by its own size and steps at the final iteration.</para>
/// <para>In a data-parallel run the gradients are averaged over the process group before clipping and the step, and
/// only on iterations that step (the others accumulate locally, like DDP's <c>no_sync</c>).</para>
/// </summary>
public sealed class OptimWrapper : IDisposable
{
    private readonly List<Parameter> parameters;
    private readonly ClipGradConfig? clipGrad;
    private readonly int accumulativeCounts;
    private readonly IProcessGroup? processGroup;
    private long innerCount;
    private long maxCounts = long.MaxValue;
    private long divisibleIters = long.MaxValue;
    private long remainderIters;

    public OptimWrapper(OptimizerHelper optimizer, IEnumerable<Parameter> parameters, ClipGradConfig? clipGrad,
        int accumulativeCounts, IProcessGroup? processGroup = null)
    {
        if (accumulativeCounts < 1)
        {
            throw new ArgumentException($"optim_wrapper.accumulative_counts must be >= 1, got {accumulativeCounts}");
        }
        Optimizer = optimizer;
        this.parameters = parameters.ToList();
        this.clipGrad = clipGrad;
        this.accumulativeCounts = accumulativeCounts;
        this.processGroup = processGroup;
        ParamGroups = optimizer.ParamGroups.ToList();
    }

    public OptimizerHelper Optimizer { get; }

    public IReadOnlyList<optim.ILearningRateController> ParamGroups { get; }

    /// <summary>The lr of the first parameter group (what MMEngine logs as <c>lr</c>).</summary>
    public double Lr => ParamGroups[0].LearningRate;

    /// <summary>Builds SGD or AdamW from <c>optim_wrapper</c> over the given parameters (one parameter group).</summary>
    /// <param name="processGroup">The data-parallel group whose gradients are averaged; null for one worker.</param>
    public static OptimWrapper Create(OptimWrapperConfig config, IEnumerable<Parameter> parameters,
        IProcessGroup? processGroup = null)
    {
        if (config.Type != "OptimWrapper")
        {
            throw new ArgumentException($"optim_wrapper.type: only OptimWrapper is supported, got '{config.Type}'");
        }
        var parameterList = parameters.Where(p => p.requires_grad).ToList();
        OptimizerHelper optimizer = config.Optimizer switch
        {
            SgdConfig sgd => optim.SGD(parameterList, sgd.Lr, sgd.Momentum, sgd.Dampening, sgd.WeightDecay, sgd.Nesterov),
            AdamWConfig adamW when adamW.Betas.Count == 2 =>
                optim.AdamW(parameterList, adamW.Lr, adamW.Betas[0], adamW.Betas[1], adamW.Eps, adamW.WeightDecay, adamW.Amsgrad),
            AdamWConfig adamW => throw new ArgumentException(
                $"optim_wrapper.optimizer.betas must have two values, got {adamW.Betas.Count}"),
            _ => throw new ArgumentException(
                $"optim_wrapper.optimizer.type '{config.Optimizer.GetType().Name}' is not supported (SGD, AdamW)"),
        };
        return new OptimWrapper(optimizer, parameterList, config.ClipGrad, config.AccumulativeCounts, processGroup);
    }

    /// <summary>Multiplies lr and initial lr of every group (auto_scale_lr).</summary>
    public void ScaleLr(double ratio)
    {
        foreach (var group in ParamGroups)
        {
            group.LearningRate *= ratio;
            group.InitialLearningRate = group.LearningRate;
        }
    }

    /// <summary>MMEngine's <c>initialize_count_status</c>: iterations done so far and in the whole run.</summary>
    public void InitializeCountStatus(long initCounts, long maxCounts)
    {
        innerCount = initCounts;
        this.maxCounts = maxCounts;
        divisibleIters = maxCounts / accumulativeCounts * accumulativeCounts;
        remainderIters = maxCounts - divisibleIters;
    }

    /// <summary>Scales the loss, back-propagates it and steps (clipping first) when an accumulation group is full.</summary>
    /// <returns>The total gradient norm before clipping when this call clipped, else null.</returns>
    public double? UpdateParams(Tensor loss)
    {
        using (var factor = LossFactor().ToScalar())
        using (var scaled = loss / factor)
        {
            scaled.backward();
        }
        // A SyncBatchNorm backward cannot throw through native autograd: it records its failure (a dead peer) instead.
        if (processGroup is not null) Distributed.SyncBatchNorm.ThrowIfBackwardFailed(processGroup);
        innerCount++;
        if (innerCount % accumulativeCounts != 0 && innerCount != maxCounts)
        {
            return null;
        }
        AverageGradients();
        double? gradNorm = clipGrad is null
            ? null
            : nn.utils.clip_grad_norm_(parameters, clipGrad.MaxNorm, clipGrad.NormType);
        Optimizer.step();
        Optimizer.zero_grad();
        return gradNorm;
    }

    private void AverageGradients()
    {
        if (processGroup is null || processGroup.WorldSize == 1)
            return;
        var gradients = new List<Tensor>(parameters.Count);
        foreach (var parameter in parameters)
        {
            if (parameter.grad is { } gradient)
                gradients.Add(gradient);
        }
        try
        {
            processGroup.AllReduceMean(gradients);
        }
        finally
        {
            gradients.ForEach(gradient => gradient.Dispose()); // handles only: the gradients stay on the parameters
        }
    }

    private long LossFactor() =>
        accumulativeCounts == 1 ? 1 : innerCount < divisibleIters ? accumulativeCounts : remainderIters;

    public void Dispose() => Optimizer.Dispose();
}
