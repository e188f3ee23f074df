using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>MMEngine's ConstantLR: lr × factor from begin until end − 1, where the factor is undone.</summary>
public sealed class ConstantLR : ParamScheduler
{
    private readonly double factor;
    private readonly int totalIters;

    public ConstantLR(IReadOnlyList<optim.ILearningRateController> groups, double factor, int begin, int end,
        bool byEpoch) : base(groups, begin, end, byEpoch)
    {
        if (factor is > 1.0 or < 0)
        {
            throw new ArgumentException($"ConstantLR: factor must lie in [0, 1], got {factor}");
        }
        this.factor = factor;
        totalIters = end - begin - 1;
    }

    protected override double NextValue(double current, double baseValue) =>
        LastStep == 0 ? current * factor
        : LastStep == totalIters ? current * (1.0 / factor)
        : current;

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() =>
        [("factor", factor), ("total_iters", (long)totalIters)];
}
