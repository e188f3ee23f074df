using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Cluster.Training.Distributed.Nccl;
using static TorchSharp.torch;

namespace Cluster.Tests.Distributed.Nccl;

/// <summary>What crosses the native boundary to libnccl.so.2 has NCCL's exact layout and values (checked without a GPU).</summary>
public class NcclMarshallingTests
{
    [Fact]
    public void TheUniqueIdIsA128ByteBlittableStruct()
    {
        Assert.Equal(128, NcclUniqueId.Length);
        Assert.Equal(128, Marshal.SizeOf<NcclUniqueId>());
        Assert.Equal(128, Unsafe.SizeOf<NcclUniqueId>());
        Assert.False(RuntimeHelpers.IsReferenceOrContainsReferences<NcclUniqueId>());
    }

    [Fact]
    public void TheUniqueIdSurvivesTheRendezvousAsBytes()
    {
        var bytes = Enumerable.Range(0, 128).Select(i => (byte)(i * 37 + 11)).ToArray();
        var id = NcclUniqueId.FromBytes(bytes);

        Assert.Equal(bytes, id.ToBytes());
        Assert.Equal(id, NcclUniqueId.FromBytes(id.ToBytes()));
        Assert.Equal(bytes, MemoryMarshal.AsBytes(new ReadOnlySpan<NcclUniqueId>(in id)).ToArray());
        bytes[127] ^= 1;
        Assert.NotEqual(id, NcclUniqueId.FromBytes(bytes));
        var error = Assert.Throws<ArgumentException>(() => NcclUniqueId.FromBytes(new byte[127]));
        Assert.StartsWith("an NCCL unique id is 128 bytes, got 127", error.Message);
    }

    [Fact]
    public void EnumValuesAreNcclHeaders()
    {
        // nccl.h: typedef enum { ncclSuccess = 0, ncclUnhandledCudaError = 1, ncclSystemError = 2, ncclInternalError = 3,
        // ncclInvalidArgument = 4, ncclInvalidUsage = 5, ncclRemoteError = 6, ncclInProgress = 7, ncclNumResults = 8 } ncclResult_t;
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7], new[]
        {
            NcclResult.Success, NcclResult.UnhandledCudaError, NcclResult.SystemError, NcclResult.InternalError,
            NcclResult.InvalidArgument, NcclResult.InvalidUsage, NcclResult.RemoteError, NcclResult.InProgress,
        }.Select(v => (int)v));
        // nccl.h: ncclInt8 = 0, ncclChar = 0, ncclUint8 = 1, ncclInt32 = 2, ncclInt = 2, ncclUint32 = 3, ncclInt64 = 4,
        // ncclUint64 = 5, ncclFloat16 = 6, ncclHalf = 6, ncclFloat32 = 7, ncclFloat = 7, ncclFloat64 = 8, ncclDouble = 8,
        // ncclBfloat16 = 9.
        Assert.Equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], new[]
        {
            NcclDataType.Int8, NcclDataType.Uint8, NcclDataType.Int32, NcclDataType.Uint32, NcclDataType.Int64,
            NcclDataType.Uint64, NcclDataType.Float16, NcclDataType.Float32, NcclDataType.Float64, NcclDataType.Bfloat16,
        }.Select(v => (int)v));
        // nccl.h: ncclSum = 0, ncclProd = 1, ncclMax = 2, ncclMin = 3, ncclAvg = 4, ncclNumOps = 5.
        Assert.Equal([0, 1, 2, 3, 4], new[] { NcclRedOp.Sum, NcclRedOp.Prod, NcclRedOp.Max, NcclRedOp.Min, NcclRedOp.Avg }.Select(v => (int)v));
        Assert.Equal(sizeof(int), Unsafe.SizeOf<NcclResult>());
    }

    [Theory]
    [InlineData(ScalarType.Float32, NcclDataType.Float32)]
    [InlineData(ScalarType.Float64, NcclDataType.Float64)]
    [InlineData(ScalarType.Float16, NcclDataType.Float16)]
    [InlineData(ScalarType.BFloat16, NcclDataType.Bfloat16)]
    [InlineData(ScalarType.Byte, NcclDataType.Uint8)]
    [InlineData(ScalarType.Int8, NcclDataType.Int8)]
    [InlineData(ScalarType.Int32, NcclDataType.Int32)]
    [InlineData(ScalarType.Int64, NcclDataType.Int64)]
    public void TorchTypesMapToTheirNcclTypes(ScalarType torchType, NcclDataType expected) =>
        Assert.Equal(expected, NcclDataTypes.Of(torchType));

    [Fact]
    public void TypesNcclCannotReduceAreRefused() =>
        Assert.Equal("NCCL cannot reduce Bool tensors (Parameter 'type')",
            Assert.Throws<ArgumentException>(() => NcclDataTypes.Of(ScalarType.Bool)).Message);

    [Theory]
    [InlineData(2804, 2, 8, 4, false)]
    [InlineData(20907, 2, 9, 7, false)]
    [InlineData(21003, 2, 10, 3, true)]
    [InlineData(22105, 2, 21, 5, true)]
    [InlineData(30001, 3, 0, 1, true)]
    public void VersionCodesDecodeLikeNcclVersionMacro(int code, int major, int minor, int patch, bool avg)
    {
        var version = NcclVersion.Decode(code);
        Assert.Equal(new NcclVersion(major, minor, patch), version);
        Assert.Equal(avg, version.SupportsAvg);
    }

    [Fact]
    public void TensorAddressesComeFromLibTorchSharp()
    {
        using var t = zeros(4, ScalarType.Float32);
        unsafe
        {
            var p = (float*)TensorPointers.DataPointer(t);
            p[2] = 42.5f;
        }
        Assert.Equal([0f, 0f, 42.5f, 0f], t.data<float>().ToArray());

        using var offset = t.narrow(0, 1, 3);
        Assert.Equal(TensorPointers.DataPointer(t) + sizeof(float), TensorPointers.DataPointer(offset));
    }
}
