using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>MMEngine's LinearLR: factor moves linearly from start_factor to end_factor over [begin, end − 1].</summary>
public sealed class LinearLR : ParamScheduler
{
    private readonly double startFactor;
    private readonly double endFactor;
    private readonly int totalIters;

    public LinearLR(IReadOnlyList<optim.ILearningRateController> groups, double startFactor, double endFactor,
        int begin, int end, bool byEpoch) : base(groups, begin, end, byEpoch)
    {
        if (startFactor is > 1.0 or < 0 || endFactor is > 1.0 or < 0)
        {
            throw new ArgumentException(
                $"LinearLR: start_factor and end_factor must lie in [0, 1], got {startFactor}, {endFactor}");
        }
        this.startFactor = startFactor;
        this.endFactor = endFactor;
        totalIters = end - begin - 1;
    }

    protected override double NextValue(double current, double baseValue) =>
        LastStep == 0
            ? current * startFactor
            : current * (1.0 + (endFactor - startFactor) /
                (totalIters * startFactor + (LastStep - 1) * (endFactor - startFactor)));

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() =>
        [("start_factor", startFactor), ("end_factor", endFactor), ("total_iters", (long)totalIters)];
}
