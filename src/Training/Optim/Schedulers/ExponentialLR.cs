using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>MMEngine's ExponentialLR: lr × gamma at every step after the first.</summary>
public sealed class ExponentialLR(IReadOnlyList<optim.ILearningRateController> groups, double gamma, int begin, int end,
    bool byEpoch) : ParamScheduler(groups, begin, end, byEpoch)
{
    protected override double NextValue(double current, double baseValue) =>
        LastStep == 0 ? current : current * gamma;

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() => [("gamma", gamma)];
}
