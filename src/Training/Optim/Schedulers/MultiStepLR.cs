using static TorchSharp.torch;

namespace Cluster.Training.Optim.Schedulers;

/// <summary>MMEngine's MultiStepLR: lr × gamma^(times the milestone occurs) at each milestone (counted from begin).</summary>
public sealed class MultiStepLR(IReadOnlyList<optim.ILearningRateController> groups, IReadOnlyList<int> milestones,
    double gamma, int begin, int end, bool byEpoch) : ParamScheduler(groups, begin, end, byEpoch)
{
    private readonly Dictionary<int, int> milestoneCounts =
        milestones.GroupBy(m => m).ToDictionary(g => g.Key, g => g.Count());

    protected override double NextValue(double current, double baseValue) =>
        milestoneCounts.TryGetValue(LastStep, out int count) ? current * Math.Pow(gamma, count) : current;

    protected override IEnumerable<(string Key, object? Value)> Hyperparameters() =>
        [("milestones", milestoneCounts.ToDictionary(p => (object)(long)p.Key, p => (object?)(long)p.Value)),
         ("gamma", gamma)];
}
