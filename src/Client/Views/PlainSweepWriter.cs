using System.Globalization;
using Cluster.Abstractions.Sweeps;
using Cluster.Client.Reports;

namespace Cluster.Client.Views;

/// <summary>
/// The non-interactive form of the live sweep view (output not a terminal, --json, CI): one plain line per change of
/// the sweep's state and per trial that changed state or validated a new epoch, no ANSI.
/// </summary>
internal sealed class PlainSweepWriter(TextWriter output)
{
    private SweepState? lastState;
    private readonly Dictionary<string, (TrialState State, int Epoch)> trials = [];

    public void Show(SweepStatus status)
    {
        if (status.State != lastState && !status.State.IsTerminal()) output.WriteLine(SweepView.StateLine(status));
        foreach (var trial in status.Trials.OrderBy(t => t.Index))
        {
            bool known = trials.TryGetValue(trial.Id, out var last);
            if (known && last.State == trial.State && last.Epoch == trial.Epoch) continue;
            output.WriteLine(Line(status, trial, withParameters: !known));
            trials[trial.Id] = (trial.State, trial.Epoch);
        }
        if (status.State.IsTerminal() && status.State != lastState)
        {
            if (SweepView.BestLine(status) is { } best) output.WriteLine(best);
            output.WriteLine(SweepView.StateLine(status));
        }
        lastState = status.State;
    }

    internal static string Line(SweepStatus status, TrialStatus trial, bool withParameters)
    {
        var line = $"{trial.Id} {trial.State.ToString().ToLowerInvariant()}";
        if (trial.Epoch > 0) line += FormattableString.Invariant($" epoch {trial.Epoch} {status.Metric}: {SweepView.Metric(trial.LastMetric)}");
        if (trial.Reason is { } reason && trial.State != TrialState.Running) line += $" ({reason})";
        if (withParameters && trial.Parameters.Count > 0)
            line += "  " + string.Join(" ", trial.Parameters.Select(p => $"{p.Key}={ParameterValue.Display(p.Value)}"));
        return line.ToString(CultureInfo.InvariantCulture);
    }
}
