namespace Cluster.Abstractions.Experiments;

/// <summary>
/// What a client submits: the merged config (all <c>_base_</c> files and <c>--set</c> overrides applied, relative
/// paths already made absolute by the client) and how many workers to train on.
/// </summary>
/// <param name="ConfigName">The config's file name without extension, for listings (e.g. <c>tsn_r50_1x1x3_ucf101</c>).</param>
/// <param name="ConfigYaml">The merged config as YAML; the grain never reads the client's files.</param>
/// <param name="Workers">Compute slots to train on data-parallel (the most the group takes: <c>max_workers</c>).</param>
/// <param name="MinWorkers">The fewest the group trains with (<c>min_workers</c>); below it the run waits for workers.
/// 0 means <see cref="Workers"/>.</param>
/// <param name="DeviceKind">"cuda" or "cpu" to require that kind of slot; null takes any.</param>
/// <param name="SweepId">The sweep this experiment is a trial of: it reports each validation and its end to that
/// sweep (<c>ISweepGrain.TrialReported</c>). Null for a plain experiment.</param>
[GenerateSerializer, Immutable]
public sealed record ExperimentSpec(
    [property: Id(0)] string ConfigName,
    [property: Id(1)] string ConfigYaml,
    [property: Id(2)] int Workers = 1,
    [property: Id(3)] string? DeviceKind = null,
    [property: Id(4)] int MinWorkers = 0,
    [property: Id(5)] string? SweepId = null)
{
    /// <summary>The fewest workers the group may train with.</summary>
    public int EffectiveMinWorkers => MinWorkers > 0 ? MinWorkers : Workers;
}
