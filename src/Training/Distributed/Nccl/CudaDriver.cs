using System.Collections.Concurrent;
using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// The few CUDA driver calls (libcuda.so.1, present wherever an NVIDIA driver is) NCCL needs around it and TorchSharp
/// does not expose: making a device current on the calling thread (NCCL uses the thread's current device, as
/// cudaSetDevice would set it) and asking whether the default stream has finished without blocking on it. Plus raw
/// device memory for the self-check. Loaded on first use.
/// </summary>
internal sealed unsafe class CudaDriver
{
    public const string LibraryName = "libcuda.so.1";
    private const int Success = 0;
    private const int NotReady = 600; // CUDA_ERROR_NOT_READY

    private static readonly Lazy<(CudaDriver? Driver, string Reason)> Loaded = new(Load);
    private readonly ConcurrentDictionary<int, IntPtr> primaryContexts = new();

    private readonly delegate* unmanaged<uint, int> init;
    private readonly delegate* unmanaged<int*, int, int> deviceGet;
    private readonly delegate* unmanaged<IntPtr*, int, int> primaryCtxRetain;
    private readonly delegate* unmanaged<IntPtr, int> ctxSetCurrent;
    private readonly delegate* unmanaged<IntPtr, int> streamQuery;
    private readonly delegate* unmanaged<int, byte**, int> getErrorString;
    private readonly delegate* unmanaged<ulong*, nuint, int> memAlloc;
    private readonly delegate* unmanaged<ulong, int> memFree;
    private readonly delegate* unmanaged<ulong, void*, nuint, int> memcpyHtoD;
    private readonly delegate* unmanaged<void*, ulong, nuint, int> memcpyDtoH;

    private CudaDriver(NativeExports exports)
    {
        init = (delegate* unmanaged<uint, int>)exports.Export("cuInit");
        deviceGet = (delegate* unmanaged<int*, int, int>)exports.Export("cuDeviceGet");
        primaryCtxRetain = (delegate* unmanaged<IntPtr*, int, int>)exports.Export("cuDevicePrimaryCtxRetain");
        ctxSetCurrent = (delegate* unmanaged<IntPtr, int>)exports.Export("cuCtxSetCurrent");
        streamQuery = (delegate* unmanaged<IntPtr, int>)exports.Export("cuStreamQuery");
        getErrorString = (delegate* unmanaged<int, byte**, int>)exports.Export("cuGetErrorString");
        memAlloc = (delegate* unmanaged<ulong*, nuint, int>)exports.Export("cuMemAlloc_v2");
        memFree = (delegate* unmanaged<ulong, int>)exports.Export("cuMemFree_v2");
        memcpyHtoD = (delegate* unmanaged<ulong, void*, nuint, int>)exports.Export("cuMemcpyHtoD_v2");
        memcpyDtoH = (delegate* unmanaged<void*, ulong, nuint, int>)exports.Export("cuMemcpyDtoH_v2");
    }

    public static CudaDriver Instance =>
        Loaded.Value.Driver ?? throw new NcclUnavailableException($"the CUDA driver is missing: {Loaded.Value.Reason}");

    private static (CudaDriver?, string) Load()
    {
        var exports = NativeExports.TryOpen(LibraryName, out var reason);
        if (exports is null) return (null, reason);
        var driver = new CudaDriver(exports);
        if (exports.MissingReason is { } missing) return (null, missing);
        int result = driver.init(0);
        return result == Success ? (driver, "") : (null, $"cuInit failed: {driver.ErrorText(result)}");
    }

    /// <summary>Makes device <paramref name="ordinal"/>'s primary context (the one the CUDA runtime and torch use) current on this thread.</summary>
    public void MakeCurrent(int ordinal)
    {
        var context = primaryContexts.GetOrAdd(ordinal, device =>
        {
            int handle;
            Check(deviceGet(&handle, device), "cuDeviceGet");
            IntPtr ctx;
            Check(primaryCtxRetain(&ctx, handle), "cuDevicePrimaryCtxRetain");
            return ctx;
        });
        Check(ctxSetCurrent(context), "cuCtxSetCurrent");
    }

    /// <summary>True once all work queued on the default (legacy, null) stream of the current context is done.</summary>
    public bool DefaultStreamIdle()
    {
        int result = streamQuery(IntPtr.Zero);
        if (result == NotReady) return false;
        Check(result, "cuStreamQuery");
        return true;
    }

    public ulong Allocate(long bytes)
    {
        ulong pointer;
        Check(memAlloc(&pointer, (nuint)bytes), "cuMemAlloc");
        return pointer;
    }

    public void Free(ulong pointer) => Check(memFree(pointer), "cuMemFree");

    public void CopyToDevice(ulong device, ReadOnlySpan<byte> host)
    {
        fixed (byte* p = host) Check(memcpyHtoD(device, p, (nuint)host.Length), "cuMemcpyHtoD");
    }

    public void CopyToHost(Span<byte> host, ulong device)
    {
        fixed (byte* p = host) Check(memcpyDtoH(p, device, (nuint)host.Length), "cuMemcpyDtoH");
    }

    private void Check(int result, string call)
    {
        if (result != Success) throw new InvalidOperationException($"{call} failed: {ErrorText(result)}");
    }

    private string ErrorText(int result)
    {
        byte* text = null;
        return getErrorString(result, &text) == Success && text is not null
            ? $"{Marshal.PtrToStringUTF8((IntPtr)text)} ({result})"
            : $"CUresult {result}";
    }
}
