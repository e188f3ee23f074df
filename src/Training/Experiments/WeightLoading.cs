using Cluster.Training.Checkpoints;
using Cluster.Training.Engine;
using TorchSharp;

namespace Cluster.Training.Experiments;

/// <summary>
/// MMEngine's <c>load_from</c> without resume: weights only, non-strict, with the report of missing, unexpected and
/// shape-mismatched keys (a replaced head shows up there) sent to the run's progress.
/// </summary>
internal static class WeightLoading
{
    public static void Load(torch.nn.Module model, string checkpointPath, IProgress<TrainingEvent>? progress)
    {
        using var checkpoint = CheckpointFile.Load(checkpointPath);
        var report = StateDictLoader.Load(model, checkpoint, new LoadOptions
        {
            Warn = line => progress?.Report(new TrainingMessage(line)),
        });
        progress?.Report(new TrainingMessage($"load_from {checkpointPath}: {report.Summary}"));
    }
}
