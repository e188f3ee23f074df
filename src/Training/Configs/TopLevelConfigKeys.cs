namespace Cluster.Training.Configs;

/// <summary>
/// The top-level keys a training config may hold (MMEngine Runner keys plus our <c>device</c>); anything else is
/// rejected as a probable typo. See configs/README.md.
/// </summary>
public static class TopLevelConfigKeys
{
    public static IReadOnlyList<string> All { get; } =
    [
        "model",
        "train_dataloader", "val_dataloader", "test_dataloader",
        "train_cfg", "val_cfg", "test_cfg",
        "val_evaluator", "test_evaluator",
        "optim_wrapper", "param_scheduler", "auto_scale_lr", "distributed",
        "default_hooks", "custom_hooks",
        "default_scope", "env_cfg", "log_processor", "visualizer", "vis_backends", "log_level",
        "load_from", "resume", "randomness",
        "work_dir", "device",
        "workers", "min_workers", "max_workers",
    ];

    public static void Validate(ConfigDocument document)
    {
        foreach (var key in document.Root.Keys.Where(key => !All.Contains(key)))
            throw new ConfigException(document.FileOf(key), key, "unknown top-level key" + Suggestions.DidYouMean(key, All, listAllOtherwise: true));
    }
}
