using System.Text.Json;
using static TorchSharp.torch;

namespace Cluster.Tests.Checkpoints;

/// <summary>Paths of the files made by tests/fixtures-scripts/make_checkpoint_fixtures.py, and tensor read-out helpers.</summary>
internal static class CheckpointFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "Checkpoints", name);

    public static JsonElement Json(string name) => JsonDocument.Parse(File.ReadAllText(PathOf(name))).RootElement;

    public static double[] Doubles(Tensor tensor)
    {
        using var asDouble = tensor.to(ScalarType.Float64).contiguous();
        return asDouble.data<double>().ToArray();
    }

    public static bool SameValues(Tensor actual, Tensor expected)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
        {
            return false;
        }
        using var equal = actual.eq(expected);
        using var all = equal.all();
        return all.item<bool>();
    }

    public static long[] Longs(Tensor tensor)
    {
        using var contiguous = tensor.contiguous();
        return contiguous.data<long>().ToArray();
    }

    /// <summary>A file in a fresh temporary directory, removed with it on dispose.</summary>
    public sealed class TemporaryDirectory : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cluster-checkpoints-").FullName;

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose() => Directory.Delete(Path, recursive: true);
    }
}
