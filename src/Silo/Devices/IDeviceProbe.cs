namespace Cluster.Silo.Devices;

/// <summary>What the machine has; separated from the slot rules so they can be tested without a GPU.</summary>
public interface IDeviceProbe
{
    /// <summary>Number of usable CUDA devices (0 when CUDA is unavailable).</summary>
    int CudaDeviceCount();

    /// <summary>Total memory of a CUDA device, or null when it cannot be read.</summary>
    long? CudaMemoryBytes(int index);

    long HostMemoryBytes();

    string HostName { get; }
}
