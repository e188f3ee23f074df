using System.Reflection;
using System.Runtime.InteropServices;

namespace Cluster.Training.Distributed.Nccl;

/// <summary>
/// A native library opened on first use with its exports resolved by name, so a machine without it fails with a
/// sentence when the feature is used, never with a crash or a DllNotFoundException at startup.
/// </summary>
internal sealed class NativeExports
{
    private readonly IntPtr handle;
    private readonly List<string> missing = [];

    private NativeExports(string library, IntPtr handle)
    {
        Library = library;
        this.handle = handle;
    }

    public string Library { get; }

    /// <summary>Opens <paramref name="library"/> (a file name searched the usual way, or a path); null and why not.</summary>
    public static NativeExports? TryOpen(string library, out string reason, Assembly? searchFrom = null)
    {
        try
        {
            var handle = searchFrom is null ? NativeLibrary.Load(library) : NativeLibrary.Load(library, searchFrom, null);
            reason = "";
            return new NativeExports(library, handle);
        }
        catch (Exception error) when (error is DllNotFoundException or BadImageFormatException)
        {
            // .NET's message is a paragraph ending in the loader's own line, which is the one that says why.
            var why = error.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
            reason = $"cannot load {library}: {why}";
            return null;
        }
    }

    /// <summary>The address of <paramref name="name"/>; zero (and remembered for <see cref="MissingReason"/>) if absent.</summary>
    public IntPtr Export(string name)
    {
        if (NativeLibrary.TryGetExport(handle, name, out var address)) return address;
        missing.Add(name);
        return IntPtr.Zero;
    }

    /// <summary>Null when every export asked for was found.</summary>
    public string? MissingReason =>
        missing.Count == 0 ? null : $"{Library} lacks {string.Join(", ", missing)} (too old or not NCCL/CUDA)";
}
