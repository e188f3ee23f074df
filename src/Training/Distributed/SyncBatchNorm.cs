using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using static TorchSharp.torch;

namespace Cluster.Training.Distributed;

/// <summary>
/// BatchNorm over the batch of all ranks (torch's <c>nn.SyncBatchNorm</c>, MMAction2's <c>norm_cfg=dict(type='SyncBN')</c>)
/// in training mode, as a custom autograd function (TorchSharp's <c>autograd.SingleTensorFunction</c>) so the backward is
/// exact. Forward: each rank's count, mean and centred sum of squares per channel are gathered (an
/// <see cref="IProcessGroup.AllReduceSum"/> of a table in which each rank fills its own row; torch all-gathers the
/// same numbers) and combined with Chan's parallel formula, which is as stable as one pass over the whole batch.
/// Backward: the input gradient of every element depends on every rank's output gradient through the shared mean and
/// variance, so sum(dy) and sum(dy·(x−mean)) are summed over ranks, as torch does; weight and bias gradients stay
/// local (the gradient all-reduce averages them like any other parameter).
/// </summary>
public static class SyncBatchNorm
{
    private static readonly ConditionalWeakTable<IProcessGroup, Exception> BackwardFaults = new();

    /// <summary>
    /// Normalises <paramref name="input"/> ([N, C, ...]) with the statistics of all ranks' batches and updates the
    /// running statistics (when given) like BatchNorm: momentum-weighted mean and unbiased variance of the whole batch.
    /// </summary>
    public static Tensor Apply(Tensor input, Tensor? weight, Tensor? bias, Tensor? runningMean, Tensor? runningVar,
        double momentum, double eps, IProcessGroup group)
    {
        ThrowIfBackwardFailed(group);
        if (input.ndim < 2) throw new ArgumentException($"SyncBatchNorm expects [N, C, ...] input, got {input.ndim}D", nameof(input));
        var settings = new Settings(group, momentum, eps, runningMean, runningVar);
        return SyncBatchNormFunction.apply(input, weight!, bias!, settings);
    }

    /// <summary>
    /// Rethrows what failed inside a backward pass on <paramref name="group"/> (e.g. a dead peer during the gradient
    /// statistics' all-reduce: a <see cref="GroupFaultException"/>). Autograd calls the backward from native code,
    /// where an exception ends the process (measured: the test host crashed), so the backward records it, returns NaN
    /// gradients, and the next SyncBN forward (or this call, right after <c>backward()</c>) throws it.
    /// </summary>
    public static void ThrowIfBackwardFailed(IProcessGroup group)
    {
        if (BackwardFaults.TryGetValue(group, out var fault)) ExceptionDispatchInfo.Throw(fault);
    }

    internal static void RecordBackwardFault(IProcessGroup group, Exception fault) => BackwardFaults.AddOrUpdate(group, fault);

    internal sealed record Settings(IProcessGroup Group, double Momentum, double Eps, Tensor? RunningMean, Tensor? RunningVar);
}
