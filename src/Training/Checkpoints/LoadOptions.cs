namespace Cluster.Training.Checkpoints;

/// <summary>How <see cref="StateDictLoader"/> matches checkpoint tensors to a module's parameters and buffers.</summary>
public sealed record LoadOptions
{
    /// <summary>
    /// Throw <see cref="StateDictMismatchException"/> (before changing the module) when any key is missing, unexpected or
    /// shape-mismatched. Default false, as MMEngine's <c>load_checkpoint</c> / <c>Pretrained</c> init.
    /// </summary>
    public bool Strict { get; init; }

    /// <summary>Use only checkpoint keys under this prefix (e.g. "backbone" or "backbone."), with the prefix removed.</summary>
    public string? Prefix { get; init; }

    /// <summary>Try <see cref="ResNetKeyMapping"/> renames when a module key is not in the checkpoint as is.</summary>
    public bool MapKeys { get; init; } = true;

    /// <summary>Receives one line per skipped shape-mismatched tensor.</summary>
    public Action<string>? Warn { get; init; }
}
