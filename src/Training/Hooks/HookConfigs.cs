using Cluster.Training.Configs;

namespace Cluster.Training.Hooks;

/// <summary>An entry of <c>default_hooks</c> or <c>custom_hooks</c>; the concrete class is picked by <c>type</c>.</summary>
public abstract class HookConfig
{
    public abstract ITrainingHook Create();
}

/// <summary><c>default_hooks</c>: the built-in hooks the loop takes from config (null = not used). The defaults are
/// MMEngine runner's own: LoggerHook() and CheckpointHook(interval=1).</summary>
public sealed class DefaultHooksConfig
{
    public HookConfig? Logger { get; init; } = new LoggerHookConfig();
    public HookConfig? Checkpoint { get; init; } = new CheckpointHookConfig { Interval = 1 };

    // Accepted so MMAction2's default_hooks translate 1:1; what they do is built into the loop (timing, runtime info,
    // scheduler stepping) or has no counterpart without distributed samplers and buffers.
    public Dictionary<string, object?>? RuntimeInfo { get; init; }
    public Dictionary<string, object?>? Timer { get; init; }
    public Dictionary<string, object?>? ParamScheduler { get; init; }
    public Dictionary<string, object?>? SamplerSeed { get; init; }
    public Dictionary<string, object?>? SyncBuffers { get; init; }
}

/// <summary>MMEngine's CheckpointHook arguments, with its code defaults.</summary>
[ConfigType("CheckpointHook")]
public sealed class CheckpointHookConfig : HookConfig
{
    public int Interval { get; init; } = -1;
    public bool ByEpoch { get; init; } = true;
    public int MaxKeepCkpts { get; init; } = -1;
    public bool SaveLast { get; init; } = true;
    /// <summary>A metric key, or "auto" for the first metric of the evaluation.</summary>
    public string? SaveBest { get; init; }
    public string? Rule { get; init; }
    public string? OutDir { get; init; }
    public int SaveBegin { get; init; }

    public override ITrainingHook Create() => new CheckpointHook(this);
}

/// <summary>MMEngine's EarlyStoppingHook arguments, with its code defaults.</summary>
[ConfigType("EarlyStoppingHook")]
public sealed class EarlyStoppingHookConfig : HookConfig
{
    public required string Monitor { get; init; }
    public string? Rule { get; init; }
    public double MinDelta { get; init; } = 0.1;
    public bool Strict { get; init; }
    public bool CheckFinite { get; init; } = true;
    public int Patience { get; init; } = 5;
    public double? StoppingThreshold { get; init; }

    public override ITrainingHook Create() => new EarlyStoppingHook(this);
}

/// <summary>MMEngine's LoggerHook: how often iteration progress is reported.</summary>
[ConfigType("LoggerHook")]
public sealed class LoggerHookConfig : HookConfig
{
    public int Interval { get; init; } = 10;
    /// <summary>Skip the report of an epoch's last iterations when they do not fill an interval.</summary>
    public bool IgnoreLast { get; init; } = true;

    public override ITrainingHook Create() => new LoggerHook(this);
}
