using static TorchSharp.torch;

namespace Cluster.Tests;

/// <summary>
/// Reads the tensor fixtures the scripts in tests/fixtures-scripts write: <c>{stem}.bin</c> (float32 little-endian
/// tensors, concatenated) and <c>{stem}.txt</c> (one "name d0,d1,..." line per tensor, same order).
/// </summary>
internal static class TensorFixture
{
    public static Dictionary<string, Tensor> Read(string stem)
    {
        var data = File.ReadAllBytes(stem + ".bin");
        var result = new Dictionary<string, Tensor>();
        var offset = 0;
        foreach (var line in File.ReadAllLines(stem + ".txt"))
        {
            var parts = line.Split(' ');
            var shape = parts.Length > 1 && parts[1].Length > 0 ? parts[1].Split(',').Select(long.Parse).ToArray() : [];
            var count = (int)shape.Aggregate(1L, (a, b) => a * b);
            var values = new float[count];
            Buffer.BlockCopy(data, offset, values, 0, count * sizeof(float));
            offset += count * sizeof(float);
            result[parts[0]] = tensor(values).reshape(shape);
        }
        Assert.Equal(data.Length, offset);
        return result;
    }
}
