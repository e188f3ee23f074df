using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using static TorchSharp.torch;

namespace Cluster.Silo.Devices;

/// <summary>Asks TorchSharp for CUDA devices. A libtorch that fails to load counts as "no CUDA" (logged), not a crash.</summary>
public sealed class TorchDeviceProbe(ILogger? logger = null) : IDeviceProbe
{
    private readonly ILogger _logger = logger ?? NullLogger.Instance;

    public string HostName => Environment.MachineName;

    public int CudaDeviceCount()
    {
        try
        {
            return cuda.is_available() ? cuda.device_count() : 0;
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or InvalidOperationException)
        {
            _logger.LogWarning("CUDA probe failed, offering CPU slots only: {Message}", e.Message);
            return 0;
        }
    }

    // TorchSharp 0.107 has no binding for cudaMemGetInfo; the slot then reports its share of host memory.
    public long? CudaMemoryBytes(int index) => null;

    public long HostMemoryBytes() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
}
