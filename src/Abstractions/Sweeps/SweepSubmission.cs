namespace Cluster.Abstractions.Sweeps;

/// <summary>What a client submits to <see cref="ISweepGrain.Submit"/>.</summary>
/// <param name="Name">The sweep's name for listings (the spec file name without extension).</param>
/// <param name="SpecYaml">The sweep file with every <c>_base_</c> merged and relative paths made absolute by the client,
/// its <c>search_space</c> and <c>sweep</c> sections kept; the grain never reads the client's files.</param>
/// <param name="SpecName">The spec's file name, as errors name it (<c>file: key.path: problem</c>).</param>
/// <param name="DeviceKind">"cuda" or "cpu" to run every trial on that kind of slot; null takes any.</param>
[GenerateSerializer, Immutable]
public sealed record SweepSubmission(
    [property: Id(0)] string Name,
    [property: Id(1)] string SpecYaml,
    [property: Id(2)] string SpecName,
    [property: Id(3)] string? DeviceKind = null);
