using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>
/// MMEngine's CosineAnnealingLR in its chainable (recursive) form; the minimum is eta_min, or base lr × eta_min_ratio
/// when that is given.
/// </summary>
public sealed class CosineAnnealingLR(IReadOnlyList<optim.ILearningRateController> groups, int tMax, double? etaMin,
    double? etaMinRatio, int begin, int end, bool byEpoch) : ParamScheduler(groups, begin, end, byEpoch)
{
    protected override double NextValue(double current, double baseValue)
    {
        double minimum = etaMinRatio is { } ratio ? baseValue * ratio : etaMin ?? 0.0;
        if (LastStep == 0)
        {
            return current;
        }
        if ((LastStep - 1 - tMax) % (2 * tMax) == 0)
        {
            return current + (baseValue - minimum) * (1 - Math.Cos(Math.PI / tMax)) / 2;
        }
        return (1 + Math.Cos(Math.PI * LastStep / tMax)) / (1 + Math.Cos(Math.PI * (LastStep - 1) / tMax)) *
            (current - minimum) + minimum;
    }

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() =>
        [("T_max", (long)tMax), ("eta_min", etaMin), ("eta_min_ratio", etaMinRatio)];
}
