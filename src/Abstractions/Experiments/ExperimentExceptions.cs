namespace Cluster.Abstractions.Experiments;

/// <summary>The id names no experiment.</summary>
[GenerateSerializer]
public sealed class UnknownExperimentException(string experimentId)
    : Exception($"unknown experiment '{experimentId}'")
{
    [Id(0)] public string ExperimentId { get; } = experimentId;
}

/// <summary>The submission was refused (bad config, id in use, no such device kind); nothing was stored.</summary>
[GenerateSerializer]
public sealed class ExperimentRejectedException(string message) : Exception(message);
