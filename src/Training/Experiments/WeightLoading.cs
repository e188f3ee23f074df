using Cluster.Training.Checkpoints;
using Cluster.Training.Engine;
using TorchSharp;

namespace Cluster.Training.Experiments;

/// <summary>
/// MMEngine's <c>load_from</c> without resume: weights only, non-strict, with the report of missing, unexpected and
/// shape-mismatched keys (a replaced head shows up there) sent to the run's progress. A checkpoint none of whose
/// tensors fit is an error, not a silent start from scratch. Checkpoints written by MMEngine carry numpy values and
/// message-hub objects next to the weights; they are read as inert data, since only the state_dict is used.
/// </summary>
internal static class WeightLoading
{
    public static void Load(torch.nn.Module model, string checkpointPath, IProgress<TrainingEvent>? progress, bool strict = false)
    {
        using var checkpoint = CheckpointFile.Load(checkpointPath, allowUnknownClasses: true);
        var report = StateDictLoader.Load(model, checkpoint, new LoadOptions
        {
            Strict = strict,
            Warn = line => progress?.Report(new TrainingMessage(line)),
        });
        progress?.Report(new TrainingMessage($"load_from {checkpointPath}: {report.Summary}"));
        if (report.Loaded.Count == 0)
            throw new CheckpointFormatException(checkpointPath, "no tensor in it matches the model");
    }
}
