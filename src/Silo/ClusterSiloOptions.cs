using Cluster.Grains.Experiments;
using Cluster.Grains.Sweeps;
using Cluster.Training.Storage;

namespace Cluster.Silo;

/// <summary>
/// How a silo joins (or forms) the cluster; bound from configuration section <c>Cluster</c> (see
/// <see cref="ClusterConfiguration"/> for the sources and their order).
/// </summary>
public sealed class ClusterSiloOptions
{
    public const string SectionName = "Cluster";
    public const string EmbeddedMode = "embedded";
    public const string RedisMode = "redis";

    /// <summary><c>embedded</c> (one local silo, state in <see cref="StateRoot"/>) or <c>redis</c> (a multi-silo cluster).</summary>
    public string Mode { get; set; } = EmbeddedMode;

    /// <summary>StackExchange.Redis configuration (<c>host:port</c> or a full option string); required in redis mode.</summary>
    public string? Redis { get; set; }

    public string ClusterId { get; set; } = "cluster";
    public string ServiceId { get; set; } = "cluster";

    /// <summary>Silo name shown by <c>cluster nodes</c>; default <c>{host}-{silo port}</c>.</summary>
    public string? Name { get; set; }

    /// <summary>0 picks a free port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>0 picks a free port.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The IP other silos and clients reach this silo at (redis mode); default: this host's first IPv4 address.</summary>
    public string? AdvertisedIp { get; set; }

    /// <summary>Embedded mode's folder for grain state and (by default) artifacts; default <c>~/.local/share/cluster</c>.</summary>
    public string? StateRoot { get; set; }

    /// <summary>Where workers create local work folders; default <c>{temp}/cluster-scratch</c>.</summary>
    public string? ScratchPath { get; set; }

    /// <summary><c>auto</c> (CUDA devices when present, else CPU slots) or <c>cpu</c>.</summary>
    public string Devices { get; set; } = "auto";

    /// <summary>CPU slots offered when no CUDA device is used.</summary>
    public int CpuSlots { get; set; } = 1;

    /// <summary>Artifact store (checkpoints, reports); embedded default: local folder <c>{StateRoot}/artifacts</c>.</summary>
    public ArtifactStoreOptions Storage { get; set; } = new();

    public MembershipTimings Membership { get; set; } = new();

    /// <summary>How experiment grains supervise their workers (section <c>Cluster:Experiments</c>).</summary>
    public ExperimentOptions Experiments { get; set; } = new();

    /// <summary>How sweep grains drive their trials (section <c>Cluster:Sweeps</c>).</summary>
    public SweepOptions Sweeps { get; set; } = new();

    public int MaxMessageBodyMiB { get; set; } = 256;

    /// <summary>Lowered from Orleans' one minute so a supervising reminder can tick every few seconds.</summary>
    public TimeSpan MinimumReminderPeriod { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the silo re-announces itself and its slots to the registry grain.</summary>
    public TimeSpan RegistrationInterval { get; set; } = TimeSpan.FromSeconds(5);

    public bool IsRedis => string.Equals(Mode.Trim(), RedisMode, StringComparison.OrdinalIgnoreCase);

    public string ResolvedStateRoot => StateRoot is { Length: > 0 } root
        ? Path.GetFullPath(root)
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "cluster");

    public string ResolvedScratchPath => ScratchPath is { Length: > 0 } scratch
        ? Path.GetFullPath(scratch)
        : Path.Combine(Path.GetTempPath(), "cluster-scratch");

    /// <summary>The artifact store options with the embedded default filled in.</summary>
    public ArtifactStoreOptions ResolvedStorage()
    {
        if (Storage.Kind.Trim().Equals(ArtifactStoreOptions.LocalKind, StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(Storage.Path))
            return new ArtifactStoreOptions { Kind = ArtifactStoreOptions.LocalKind, Path = Path.Combine(ResolvedStateRoot, "artifacts") };
        return Storage;
    }

    /// <exception cref="ArgumentException">One line naming the configuration key at fault.</exception>
    public void Validate()
    {
        var mode = Mode.Trim().ToLowerInvariant();
        if (mode is not (EmbeddedMode or RedisMode))
            throw new ArgumentException($"{SectionName}:Mode '{Mode}' is unknown; use '{EmbeddedMode}' or '{RedisMode}'");
        if (mode == RedisMode && string.IsNullOrWhiteSpace(Redis))
            throw new ArgumentException($"{SectionName}:Redis (host:port) is required when {SectionName}:Mode is '{RedisMode}'");
        CheckPort(nameof(SiloPort), SiloPort);
        CheckPort(nameof(GatewayPort), GatewayPort);
        if (SiloPort != 0 && SiloPort == GatewayPort)
            throw new ArgumentException($"{SectionName}:SiloPort and {SectionName}:GatewayPort are both {SiloPort}; they must differ");
        if (AdvertisedIp is { Length: > 0 } ip && !System.Net.IPAddress.TryParse(ip, out _))
            throw new ArgumentException($"{SectionName}:AdvertisedIp '{ip}' is not an IP address");
        if (Devices.Trim().ToLowerInvariant() is not ("auto" or "cpu"))
            throw new ArgumentException($"{SectionName}:Devices '{Devices}' is unknown; use 'auto' or 'cpu'");
        if (CpuSlots < 1)
            throw new ArgumentException($"{SectionName}:CpuSlots must be at least 1 (got {CpuSlots})");
        if (MaxMessageBodyMiB < 1)
            throw new ArgumentException($"{SectionName}:MaxMessageBodyMiB must be at least 1 (got {MaxMessageBodyMiB})");
        if (MinimumReminderPeriod <= TimeSpan.Zero || RegistrationInterval <= TimeSpan.Zero)
            throw new ArgumentException($"{SectionName}:MinimumReminderPeriod and {SectionName}:RegistrationInterval must be positive");
        Membership.Validate();
        if (Experiments.ReminderPeriod < MinimumReminderPeriod)
            throw new ArgumentException($"{SectionName}:Experiments:ReminderPeriod {Experiments.ReminderPeriod} is shorter than {SectionName}:MinimumReminderPeriod {MinimumReminderPeriod}");
        if (Experiments.SupervisionInterval <= TimeSpan.Zero || Experiments.MissesBeforeLost < 1 || Experiments.UnreachableBeforeLost <= TimeSpan.Zero)
            throw new ArgumentException($"{SectionName}:Experiments:SupervisionInterval and UnreachableBeforeLost must be positive and MissesBeforeLost at least 1");
        if (Sweeps.ReminderPeriod < MinimumReminderPeriod)
            throw new ArgumentException($"{SectionName}:Sweeps:ReminderPeriod {Sweeps.ReminderPeriod} is shorter than {SectionName}:MinimumReminderPeriod {MinimumReminderPeriod}");
        if (Sweeps.TickInterval <= TimeSpan.Zero || Sweeps.ExperimentCallTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"{SectionName}:Sweeps:TickInterval and ExperimentCallTimeout must be positive");
        try
        {
            ArtifactStoreFactory.Create(ResolvedStorage());
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{SectionName}:Storage: {e.Message}", e);
        }
    }

    private static void CheckPort(string key, int port)
    {
        if (port is < 0 or > 65535)
            throw new ArgumentException($"{SectionName}:{key} {port} is not a port (0..65535; 0 picks a free one)");
    }
}

/// <summary>
/// Failure detection. The defaults declare a killed silo dead in roughly ten seconds (Orleans' own take about a
/// minute), which is what a training cluster wants: a lost worker stalls the whole group.
/// </summary>
public sealed class MembershipTimings
{
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(2);
    public int NumMissedProbesLimit { get; set; } = 3;
    public int NumVotesForDeathDeclaration { get; set; } = 1;
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(30);

    internal void Validate()
    {
        if (ProbeTimeout <= TimeSpan.Zero || TableRefreshTimeout <= TimeSpan.Zero || IAmAliveTablePublishTimeout <= TimeSpan.Zero
            || DeathVoteExpirationTimeout <= TimeSpan.Zero)
            throw new ArgumentException($"{ClusterSiloOptions.SectionName}:Membership timeouts must be positive");
        if (NumMissedProbesLimit < 1 || NumVotesForDeathDeclaration < 1)
            throw new ArgumentException($"{ClusterSiloOptions.SectionName}:Membership:NumMissedProbesLimit and NumVotesForDeathDeclaration must be at least 1");
    }
}
