using Cluster.Training.Optim.Schedulers;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Cluster.Tests.Optim;

/// <summary>Builds schedulers over a one-parameter SGD and records the lr in effect at each iteration.</summary>
internal static class ScheduleRecorder
{
    public static double[] LrPerIteration(double lr, int maxEpochs, int itersPerEpoch,
        params ParamSchedulerConfig[] configs)
    {
        using var parameter = new Parameter(zeros(1));
        using var optimizer = optim.SGD([parameter], lr);
        var groups = optimizer.ParamGroups.ToList();
        var schedulers = ParamSchedulerFactory.Create(configs, groups, maxEpochs, itersPerEpoch);
        var values = new List<double>();
        for (int epoch = 0; epoch < maxEpochs; epoch++)
        {
            for (int iter = 0; iter < itersPerEpoch; iter++)
            {
                values.Add(groups[0].LearningRate);
                schedulers.AfterTrainIteration();
            }
            schedulers.AfterTrainEpoch();
        }
        return values.ToArray();
    }

    public static double[] LrPerEpoch(double lr, int maxEpochs, params ParamSchedulerConfig[] configs) =>
        LrPerIteration(lr, maxEpochs, 1, configs);
}
