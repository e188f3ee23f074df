using static TorchSharp.torch;

namespace Cluster.Training.Checkpoints;

/// <summary>A legacy typed storage class (<c>torch.FloatStorage</c>, ...) as named in torch files, with its element type.</summary>
internal sealed record TorchStorageType(string ClassName, ScalarType ElementType, int ElementSize)
{
    private static readonly TorchStorageType[] All =
    [
        new("FloatStorage", ScalarType.Float32, 4),
        new("DoubleStorage", ScalarType.Float64, 8),
        new("HalfStorage", ScalarType.Float16, 2),
        new("BFloat16Storage", ScalarType.BFloat16, 2),
        new("LongStorage", ScalarType.Int64, 8),
        new("IntStorage", ScalarType.Int32, 4),
        new("ShortStorage", ScalarType.Int16, 2),
        new("CharStorage", ScalarType.Int8, 1),
        new("ByteStorage", ScalarType.Byte, 1),
        new("BoolStorage", ScalarType.Bool, 1),
    ];

    public static TorchStorageType? FromClassName(string className) =>
        All.FirstOrDefault(type => type.ClassName == className);

    public static TorchStorageType FromElementType(ScalarType elementType, string keyPath) =>
        All.FirstOrDefault(type => type.ElementType == elementType)
        ?? throw new ArgumentException($"Cannot save tensor '{keyPath}': element type {elementType} has no torch storage class");
}
