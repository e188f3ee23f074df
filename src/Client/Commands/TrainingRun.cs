using Cluster.Training.Engine;
using Cluster.Training.Experiments;

namespace Cluster.Client.Commands;

/// <summary>Runs a prepared training job with console progress, Ctrl+C cancellation and the closing summary.</summary>
internal static class TrainingRun
{
    public static int Execute(TrainingJob job, TextWriter output, TextWriter error, bool json)
    {
        // With --json the progress goes to stderr, so stdout carries only the result line.
        var log = json ? error : output;
        using var cancellation = new CtrlC();
        log.WriteLine($"work_dir: {job.WorkDir.Path}");
        var result = job.Run(new ConsoleProgressPrinter(log), cancellation.Token);
        log.WriteLine($"latest checkpoint: {job.WorkDir.LastCheckpoint() ?? "none"}");
        log.WriteLine($"best checkpoint: {result.BestCheckpoint ?? "none"}");
        log.WriteLine($"metrics: {Path.Combine(job.WorkDir.Path, TrainingJob.ScalarsName)}");
        if (json) output.WriteLine(ResultJson.ForTraining(result, job.WorkDir));
        return result.Status == TrainingStatus.Cancelled ? CommandErrors.Cancelled : 0;
    }
}
