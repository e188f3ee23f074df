using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>MMEngine's StepLR: lr × gamma every step_size steps (counted from begin).</summary>
public sealed class StepLR : ParamScheduler
{
    private readonly int stepSize;
    private readonly double gamma;

    public StepLR(IReadOnlyList<optim.ILearningRateController> groups, int stepSize, double gamma, int begin, int end,
        bool byEpoch) : base(groups, begin, end, byEpoch)
    {
        if (stepSize <= 0)
        {
            throw new ArgumentException($"StepLR: step_size must be positive, got {stepSize}");
        }
        this.stepSize = stepSize;
        this.gamma = gamma;
    }

    protected override double NextValue(double current, double baseValue) =>
        LastStep == 0 || LastStep % stepSize != 0 ? current : current * gamma;

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() =>
        [("step_size", (long)stepSize), ("gamma", gamma)];
}
