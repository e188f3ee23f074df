using static TorchSharp.torch;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// The address of a tensor's first element (CPU or CUDA memory), which is what NCCL reads and writes. TorchSharp keeps
/// it private; LibTorchSharp's exported <c>THSTensor_data(tensor)</c> returns it (platform-facts.md), so it is called
/// here through the library TorchSharp has already loaded.
/// </summary>
public static unsafe class TensorPointers
{
    private static readonly Lazy<IntPtr> DataExport = new(ResolveDataExport);

    public static IntPtr DataPointer(Tensor tensor)
    {
        var address = ((delegate* unmanaged<IntPtr, IntPtr>)DataExport.Value)(tensor.Handle);
        if (address == IntPtr.Zero && tensor.numel() > 0)
            throw new InvalidOperationException("THSTensor_data returned a null pointer for a non-empty tensor");
        return address;
    }

    private static IntPtr ResolveDataExport()
    {
        // TorchSharp's assembly knows where its native library came from; by soname finds the copy already loaded.
        var exports = NativeExports.TryOpen("LibTorchSharp", out var first, typeof(Tensor).Assembly)
            ?? NativeExports.TryOpen("libLibTorchSharp.so", out var second)
            ?? throw new InvalidOperationException($"LibTorchSharp cannot be found to read tensor addresses: {first}");
        var address = exports.Export("THSTensor_data");
        return address != IntPtr.Zero ? address : throw new InvalidOperationException(exports.MissingReason);
    }
}
