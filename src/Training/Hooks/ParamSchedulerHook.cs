using Cluster.Training.Optim.Schedulers;

namespace Cluster.Training.Hooks;

/// <summary>MMEngine's ParamSchedulerHook: steps iteration-based schedulers after each iteration and epoch-based ones
/// after each epoch.</summary>
public sealed class ParamSchedulerHook(ParamSchedulerSet schedulers) : ITrainingHook
{
    public void AfterTrainIter(TrainingContext context) => schedulers.AfterTrainIteration();

    public void AfterTrainEpoch(TrainingContext context) => schedulers.AfterTrainEpoch();
}
