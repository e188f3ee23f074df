using Cluster.Training.Configs;

namespace Cluster.Tests.Configs;

/// <summary>A throw-away folder of config files for one test.</summary>
internal sealed class TempConfigFiles : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("cluster-config-tests-").FullName;

    public string Write(string relativePath, string text)
    {
        var path = System.IO.Path.Combine(_root, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    public string Path(string relativePath) => System.IO.Path.Combine(_root, relativePath);

    public ConfigDocument Load(string relativePath, params string[] overrides) =>
        ConfigLoader.LoadUnvalidated(Path(relativePath), overrides);

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
