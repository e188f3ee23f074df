namespace Cluster.Training.Distributed.Nccl;

// Values from NCCL's public header nccl.h (nccl.h.in in github.com/NVIDIA/nccl, stable since 2.10; C enums are int).

/// <summary><c>ncclResult_t</c>.</summary>
public enum NcclResult
{
    Success = 0,
    UnhandledCudaError = 1,
    SystemError = 2,
    InternalError = 3,
    InvalidArgument = 4,
    InvalidUsage = 5,
    RemoteError = 6,
    InProgress = 7,
}

/// <summary><c>ncclDataType_t</c> (ncclChar = ncclInt8, ncclInt = ncclInt32, ncclHalf = ncclFloat16, ...).</summary>
public enum NcclDataType
{
    Int8 = 0,
    Uint8 = 1,
    Int32 = 2,
    Uint32 = 3,
    Int64 = 4,
    Uint64 = 5,
    Float16 = 6,
    Float32 = 7,
    Float64 = 8,
    /// <summary>Since NCCL 2.10.</summary>
    Bfloat16 = 9,
}

/// <summary><c>ncclRedOp_t</c>.</summary>
public enum NcclRedOp
{
    Sum = 0,
    Prod = 1,
    Max = 2,
    Min = 3,
    /// <summary>Since NCCL 2.10: sum divided by the number of ranks.</summary>
    Avg = 4,
}
