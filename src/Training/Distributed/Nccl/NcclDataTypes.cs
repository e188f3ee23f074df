using static TorchSharp.torch;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>The NCCL element type of a torch dtype.</summary>
public static class NcclDataTypes
{
    public static NcclDataType Of(ScalarType type) => type switch
    {
        ScalarType.Float32 => NcclDataType.Float32,
        ScalarType.Float64 => NcclDataType.Float64,
        ScalarType.Float16 => NcclDataType.Float16,
        ScalarType.BFloat16 => NcclDataType.Bfloat16,
        ScalarType.Int8 => NcclDataType.Int8,
        ScalarType.Byte => NcclDataType.Uint8,
        ScalarType.Int32 => NcclDataType.Int32,
        ScalarType.Int64 => NcclDataType.Int64,
        _ => throw new ArgumentException($"NCCL cannot reduce {type} tensors", nameof(type)),
    };
}
