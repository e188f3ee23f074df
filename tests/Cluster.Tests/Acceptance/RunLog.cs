using Cluster.Tests.Experiments;
using Cluster.Training.Configs;
using Cluster.Training.Engine;
using Cluster.Training.Experiments;
using Xunit.Abstractions;

namespace Cluster.Tests.Acceptance;

/// <summary>Runs a config in process, echoing its log lines to the test output and keeping the events.</summary>
internal sealed class RunLog(ITestOutputHelper output, string name)
{
    public List<TrainingEvent> Events { get; } = [];

    public TrainingResult Train(string config, IEnumerable<string> overrides, string workDir)
    {
        var job = TrainingJob.Prepare(ConfigLoader.Load(config, overrides.ToList()), workDir, "cpu");
        return job.Run(new SyncProgress(e =>
        {
            Events.Add(e);
            if (e is not IterationProgress) output.WriteLine($"[{name}] {Cluster.Client.Commands.ConsoleProgressPrinter.Format(e)}");
        }));
    }

    public List<double> ValidationTop1() =>
        Events.OfType<ValidationCompleted>().Select(v => v.Metrics["acc/top1"]).ToList();

    /// <summary>1-based epoch at which val top-1 first reached the threshold, or null.</summary>
    public int? FirstEpochReaching(double top1) =>
        Events.OfType<ValidationCompleted>().FirstOrDefault(v => v.Metrics["acc/top1"] >= top1)?.Epoch;
}
