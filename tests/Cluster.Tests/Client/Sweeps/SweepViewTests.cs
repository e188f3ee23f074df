using Cluster.Abstractions.Sweeps;
using Cluster.Client.Views;
using Spectre.Console.Testing;

namespace Cluster.Tests.Client.Sweeps;

/// <summary>What `cluster sweep watch|status` show, rendered from hand-built statuses.</summary>
public sealed class SweepViewTests
{
    private static string Show(SweepStatus status)
    {
        var console = new TestConsole().Width(160);
        console.Write(SweepView.Render(status));
        return console.Output;
    }

    private static string RowOf(string output, string trialId) =>
        Assert.Single(output.Split('\n'), line => line.TrimStart().TrimStart(SweepView.BestMark[0]).StartsWith(trialId + " "));

    [Fact]
    public void OneRowPerTrialWithParametersStateEpochAndMetricTheBestMarked()
    {
        var output = Show(SweepStatuses.Asha());

        Assert.Contains("sw  sweep_tiny_synth  Running  acc/top1 (max)  random/asha  trials: 3 ended, 1 running of 5", output);
        Assert.Contains("lr", output);
        Assert.Contains("weight_decay", output);
        var best = RowOf(output, "t002"); // the sweep id is in the headline
        Assert.Contains($"{SweepView.BestMark}t002", best);
        Assert.Contains("0.01", best);
        Assert.Contains("completed", best);
        Assert.Contains("0.8000", best);
        var stopped = RowOf(output, "t001");
        Assert.DoesNotContain(SweepView.BestMark + "t001", stopped);
        Assert.Contains("stopped", stopped);
        Assert.Contains("stopped by ASHA at epoch 1", stopped);
        Assert.Contains("running", RowOf(output, "t003"));
        Assert.Contains("best: sw-t002 acc/top1 0.8000 (epoch 4)  checkpoint: file:///artifacts/experiments/sw-t002/best_acc_top1_epoch_4.pth", output);
    }

    [Fact]
    public void AnEndedSweepSaysHowItsTrialsEnded()
    {
        var output = Show(SweepStatuses.Asha(SweepState.Completed) with { Reason = "all trials done" });

        Assert.Contains("Completed 5 trials: 2 completed, 1 stopped early, 0 failed (all trials done)", output);
    }

    [Fact]
    public void ParameterHeadersAreShortUnlessTheyClash()
    {
        var headers = SweepView.ParameterHeaders(["optim_wrapper.optimizer.lr", "model.head.dropout", "model.backbone.dropout"]);

        Assert.Equal("lr", headers["optim_wrapper.optimizer.lr"]);
        Assert.Equal("model.head.dropout", headers["model.head.dropout"]);
        Assert.Equal("model.backbone.dropout", headers["model.backbone.dropout"]);
    }

    [Fact]
    public void PlainLinesTellEachChangeOnceAndTheBestAtTheEnd()
    {
        var output = new StringWriter();
        var writer = new PlainSweepWriter(output);
        var running = SweepStatuses.Asha();

        writer.Show(running);
        writer.Show(running); // nothing changed: nothing printed
        var first = output.ToString();
        writer.Show(SweepStatuses.Asha(SweepState.Completed));

        var lines = first.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("sw Running", lines[0]);
        Assert.Equal(6, lines.Length); // the state and five trials
        Assert.Equal($"sw-t001 stopped epoch 1 acc/top1: 0.2000 (stopped by ASHA at epoch 1, below the rung cutoff)  " +
                     $"{SweepStatuses.Lr}=0.05 {SweepStatuses.Wd}=0.0001", lines[2]);
        Assert.Equal("0.03882", Cluster.Client.Reports.ParameterValue.Display("0.03881995263899941")); // sampled values, shortened
        Assert.Equal("1.678E-05", Cluster.Client.Reports.ParameterValue.Display("1.6783341962116062E-05"));
        Assert.Equal("8", Cluster.Client.Reports.ParameterValue.Display("8"));
        Assert.StartsWith("sw-t004 pending  ", lines[5]);
        var end = output.ToString()[first.Length..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, end.Length); // no trial changed: the best and the closing line
        Assert.StartsWith("best: sw-t002 acc/top1 0.8000", end[0]);
        Assert.StartsWith("sw Completed: 5 trials", end[1]);
    }
}
