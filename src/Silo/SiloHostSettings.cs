using Microsoft.Extensions.Logging;

namespace Cluster.Silo;

/// <summary>How the host around the silo behaves (as opposed to how the silo joins the cluster).</summary>
public sealed class SiloHostSettings
{
    /// <summary>Log messages at or above this level go to stderr. Embedded use passes <see cref="LogLevel.None"/>.</summary>
    public LogLevel MinimumLogLevel { get; init; } = LogLevel.Warning;

    /// <summary>Stop on SIGTERM / Ctrl-C (a silo process). False when co-hosted in a client that handles them itself.</summary>
    public bool HandleConsoleSignals { get; init; } = true;

    /// <summary>Extra silo configuration (tests, or a client adding services).</summary>
    public Action<ISiloBuilder>? ConfigureSilo { get; init; }
}
