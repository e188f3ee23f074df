namespace Cluster.Silo.Devices;

/// <param name="Device">TorchSharp device string: <c>cuda:0</c>, or <c>cpu:N</c> for the N-th CPU slot.</param>
/// <param name="Kind"><c>cuda</c> or <c>cpu</c>.</param>
/// <param name="MemoryBytes">Device memory (CUDA, when known) or the slot's share of host memory.</param>
public sealed record DeviceSlot(string Device, string Kind, string Name, long MemoryBytes);
