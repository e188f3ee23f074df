using Cluster.Abstractions.Experiments;

namespace Cluster.Grains.Sweeps;

/// <summary>
/// A call the sweep grain makes on a trial's experiment after persisting the state that decided it. Each is harmless to
/// repeat (a second submission of the same id is recognised, a cancel of an ended run changes nothing).
/// </summary>
public abstract record SweepAction(int TrialIndex, string ExperimentId);

public sealed record StartExperiment(int TrialIndex, string ExperimentId, ExperimentSpec Spec) : SweepAction(TrialIndex, ExperimentId);

public sealed record CancelExperiment(int TrialIndex, string ExperimentId, string Reason) : SweepAction(TrialIndex, ExperimentId);
