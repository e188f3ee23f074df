using System.Globalization;
using Cluster.Abstractions.Experiments;

namespace Cluster.Client.Views;

/// <summary>`cluster status` as text: every field a person needs to judge a run, one per line.</summary>
internal static class StatusText
{
    public static void Write(ExperimentStatus s, TextWriter output)
    {
        output.WriteLine($"id:          {s.Id}");
        output.WriteLine($"config:      {s.ConfigName}");
        output.WriteLine($"state:       {s.State}" + (s.Reason is { } reason ? $" ({reason})" : ""));
        output.WriteLine($"created:     {Format.Time(s.CreatedAt)}  started: {Format.Time(s.StartedAt)}  ended: {Format.Time(s.EndedAt)}");
        output.WriteLine(FormattableString.Invariant($"workers:     {s.Workers.Count}/{s.RequestedWorkers}")
                         + (s.MinWorkers > 0 && s.MinWorkers != s.RequestedWorkers ? FormattableString.Invariant($" (min {s.MinWorkers})") : "")
                         + FormattableString.Invariant($"  generation {s.Generation}  restarts {s.Restarts}"));
        if (s.GrainSilo is { } grainSilo) output.WriteLine($"grain:       on silo {grainSilo}");
        foreach (var w in s.Workers.OrderBy(w => w.Rank))
            output.WriteLine(FormattableString.Invariant($"  rank {w.Rank}: {w.Device} on silo {w.Silo} ({w.WorkerKey})"));
        if (s.Progress is { } p)
            output.WriteLine(FormattableString.Invariant(
                $"progress:    epoch {p.Epoch}/{p.MaxEpochs}  iter {p.Iteration}/{p.ItersPerEpoch}  (global {p.GlobalIteration}/{p.MaxIterations})  ") + ExperimentView.Numbers(p));
        if (s.Metrics.Count > 0) output.WriteLine($"metrics:     {Format.Metrics(s.Metrics)}");
        if (s.Best is { } best) output.WriteLine($"best:        {Format.Best(best)}");
        output.WriteLine($"checkpoints: {s.Checkpoints.Count}");
        foreach (var c in s.Checkpoints)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  epoch {c.Epoch} iter {c.Iteration}{(c.IsBest ? " best" : "")}: {c.Uri}  sha256 {c.Sha256}  {c.Bytes} bytes"));
        output.WriteLine($"artifacts:   {s.ArtifactsLocation ?? "-"}");
    }
}
