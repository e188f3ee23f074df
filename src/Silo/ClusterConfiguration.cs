using Microsoft.Extensions.Configuration;

namespace Cluster.Silo;

/// <summary>
/// Reads <see cref="ClusterSiloOptions"/>: <c>appsettings.json</c> next to the binary (if present), then an explicit
/// config file, then environment variables (<c>Cluster__Mode</c>, <c>Cluster__Redis</c>, ...), then explicit overrides
/// (keys like <c>Cluster:Mode</c>); later sources win.
/// </summary>
public static class ClusterConfiguration
{
    public static IConfiguration Build(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true, reloadOnChange: false);
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
                throw new FileNotFoundException($"config file '{configFile}' does not exist", configFile);
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        builder.AddEnvironmentVariables();
        if (overrides is not null)
            builder.AddInMemoryCollection(overrides);
        try
        {
            return builder.Build();
        }
        catch (InvalidDataException e)
        {
            throw new InvalidDataException($"config file '{configFile}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Binds and validates the <c>Cluster</c> section.</summary>
    /// <exception cref="ArgumentException">A bad value, naming its key.</exception>
    public static ClusterSiloOptions Load(string? configFile = null, IEnumerable<KeyValuePair<string, string?>>? overrides = null) =>
        Bind(Build(configFile, overrides));

    public static ClusterSiloOptions Bind(IConfiguration configuration)
    {
        var options = new ClusterSiloOptions();
        try
        {
            configuration.GetSection(ClusterSiloOptions.SectionName).Bind(options);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"configuration section '{ClusterSiloOptions.SectionName}': {e.Message.ReplaceLineEndings(" ")}", e);
        }
        options.Validate();
        return options;
    }
}
