using TorchSharp;

namespace Cluster.Training.Models.Init;

/// <summary>MMEngine's <c>initialize()</c> and <c>BaseModule.init_weights()</c> over TorchSharp modules.</summary>
public static class WeightInitializer
{
    /// <summary>
    /// <c>BaseModule.init_weights</c>: the non-Pretrained entries of <paramref name="initCfg"/> first, then every
    /// direct child's own <see cref="IInitWeights.InitWeights"/>, then the Pretrained entries, so a checkpoint wins.
    /// </summary>
    public static void InitWeights(torch.nn.Module module, IReadOnlyList<InitConfig>? initCfg, IPretrainedLoader? loader)
    {
        var configs = initCfg ?? [];
        Initialize(module, configs.Where(c => c is not PretrainedInitConfig), loader);
        foreach (var (_, child) in module.named_children())
            if (child is IInitWeights initialisable) initialisable.InitWeights(loader);
        Initialize(module, configs.Where(c => c is PretrainedInitConfig), loader);
    }

    /// <summary><c>initialize(module, init_cfg)</c>: each entry on its <c>layer</c> selection, then its overrides.</summary>
    public static void Initialize(torch.nn.Module module, IEnumerable<InitConfig> configs, IPretrainedLoader? loader)
    {
        foreach (var config in configs)
        {
            if (config is InheritedInitConfig)
                throw new ArgumentException("init_cfg: an entry without 'type' is only allowed inside 'override'");
            InitializeOne(module, config, wholeModule: false, loader);
            if (config.Override is { } overrides)
                foreach (var entry in overrides)
                    InitializeOverride(module, entry, config with { Layer = null, Override = null }, loader);
        }
    }

    private static void InitializeOverride(torch.nn.Module module, InitConfig entry, InitConfig parentSettings,
        IPretrainedLoader? loader)
    {
        var name = entry.Name ?? throw new ArgumentException(
            $"init_cfg '{parentSettings.TypeName}': every override entry needs the key 'name'");
        var settings = entry is InheritedInitConfig ? InheritedSettings(entry, parentSettings) : entry;
        var target = module.named_children().Where(c => c.name == name).Select(c => c.module).FirstOrDefault()
            ?? throw new ArgumentException(
                $"init_cfg override: {PyTorchTypeNames.ClassName(module)} has no attribute '{name}'");
        InitializeOne(target, settings with { Name = null }, wholeModule: true, loader);
    }

    /// <summary>An override with only <c>name</c> reuses the parent's settings; any other key needs a <c>type</c>.</summary>
    private static InitConfig InheritedSettings(InitConfig entry, InitConfig parentSettings)
    {
        var hasOtherKeys = entry.Layer is not null || entry.Override is not null || entry.Bias != 0 ||
                           entry.BiasProb is not null;
        if (hasOtherKeys)
            throw new ArgumentException($"init_cfg override '{entry.Name}' sets keys other than 'name' but no 'type'");
        return parentSettings;
    }

    private static void InitializeOne(torch.nn.Module module, InitConfig config, bool wholeModule,
        IPretrainedLoader? loader)
    {
        if (config is PretrainedInitConfig pretrained)
        {
            if (string.IsNullOrEmpty(pretrained.Checkpoint))
                throw new ArgumentException("init_cfg Pretrained: the key 'checkpoint' is missing");
            if (loader is null)
                throw new InvalidOperationException(
                    $"init_cfg Pretrained '{pretrained.Checkpoint}': no checkpoint loader was provided");
            loader.Load(module, pretrained.Checkpoint, pretrained.Prefix);
            return;
        }

        var layers = config.Layer ?? [];
        foreach (var m in ModuleTree.SelfAndDescendants(module))
            if (wholeModule || PyTorchTypeNames.IsSelectedBy(m, layers))
                ModuleInitializers.Apply(m, config);
    }
}
