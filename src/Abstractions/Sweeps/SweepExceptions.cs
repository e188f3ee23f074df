namespace Cluster.Abstractions.Sweeps;

/// <summary>The id names no sweep.</summary>
[GenerateSerializer]
public sealed class UnknownSweepException(string sweepId) : Exception($"unknown sweep '{sweepId}'")
{
    [Id(0)] public string SweepId { get; } = sweepId;
}

/// <summary>The sweep has no trial of that id.</summary>
[GenerateSerializer]
public sealed class UnknownTrialException(string sweepId, string trialId)
    : Exception($"sweep '{sweepId}' has no trial '{trialId}'")
{
    [Id(0)] public string SweepId { get; } = sweepId;
    [Id(1)] public string TrialId { get; } = trialId;
}

/// <summary>The submission was refused (bad spec, impossible resource request, id in use); nothing was stored.</summary>
[GenerateSerializer]
public sealed class SweepRejectedException(string message) : Exception(message);
